#pragma once

// The portal's route table: method and exact path to a handler, with whether the page needs
// a signed-in session. Page families add their routes at start (add_*_pages); other
// components (the OnePass sign-in of auth/saml) add theirs the same way.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portal/http.hpp"
#include "storage/portal_session_store.hpp"

namespace govmail::portal {

struct Portal;

// What the dispatcher learnt about a request before its handler runs.
struct Visit {
    Lang lang = Lang::Ko;
    std::optional<storage::PortalSession> session;  // set on SignedIn routes
    std::string csrf_token;  // to put in this page's forms (the session's, or the pre-sign-in one)
};

using Handler = boost::asio::awaitable<Response> (*)(Portal&, const Request&, const Visit&);

// Every kind is served only from [portal] networks. POSTs of Public and SignedIn routes carry
// the CSRF token; the other two kinds are POSTed by someone who cannot have it, and prove
// themselves otherwise.
enum class Access {
    Public,    // anyone (sign-in, signup)
    SignedIn,  // a live session; others are sent to /signin
    // The identity provider's response, POSTed by the browser from the provider's page (the
    // SAML assertion consumer): proven by its signature and by answering the request this
    // browser started (a cookie names it); no CSRF token, no pre-sign-in cookie.
    AssertionConsumer,
    // Machine-to-machine (the OAuth token endpoint): the client proves itself in the body
    // (client id, code, PKCE verifier); no cookies are read or set, no CSRF token.
    ClientEndpoint,
    // The style sheet and fonts (pages/assets.cpp): anyone in the networks; no cookies.
    Asset,
};

struct Route {
    std::string method;
    std::string path;
    Access access = Access::SignedIn;
    Handler handler = nullptr;
};

class Router {
public:
    // Throws std::logic_error when METHOD and PATH are taken already.
    void add(std::string method, std::string path, Access access, Handler handler);
    // The route for METHOD and PATH, or nullptr.
    const Route* find(std::string_view method, std::string_view path) const;
    // Whether some method has a route for PATH (405 rather than 404).
    bool has_path(std::string_view path) const;

private:
    std::vector<Route> routes_;
};

}  // namespace govmail::portal
