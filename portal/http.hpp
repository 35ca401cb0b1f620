#pragma once

// One HTTP request as the pages see it (decoded form, query and cookies, the client's
// address and TLS session) and the response they give back, with the cookie and redirect
// helpers every page uses.

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "portal/form.hpp"
#include "portal/i18n.hpp"

namespace govmail::portal {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // without the query
    std::string target;  // the path and the query as sent
    Fields query;
    std::string body;
    Fields form;  // the body, when it is a urlencoded form
    Fields cookies;
    boost::asio::ip::address peer;
    SSL* tls = nullptr;  // the TLS session (its client certificate, if any)
};

struct Response {
    unsigned status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;  // Location, Set-Cookie, ...
    std::string body;
    // When set, the body is this file, streamed from disk in small pieces (BODY unused).
    std::optional<std::filesystem::path> file;
    // The sources the page's forms may submit to, and be redirected to from there (the
    // content security policy's form-action): this portal, plus what a page adds.
    std::string form_action = "'self'";
};

Response html_response(std::string body, unsigned status = 200);
Response redirect(std::string location);  // 303 See Other

// None: sent on cross-site POSTs too (the identity provider's response), Secure always.
enum class SameSite { Lax, Strict, None };

// A Set-Cookie value: Path=/, Secure, HttpOnly always; MAX_AGE zero removes the cookie.
std::string set_cookie(
    std::string_view name, std::string_view value, std::chrono::seconds max_age, SameSite same_site
);

// Splits TARGET ("/path?query") into the path and the decoded query.
std::pair<std::string, Fields> split_target(std::string_view target);

}  // namespace govmail::portal
