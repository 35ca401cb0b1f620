#pragma once

// From a parsed request to a response: the checks every page relies on, in this order —
// the client's network ([portal] networks, else 403), the language (?lang= sets the cookie),
// the route (404/405), the session of signed-in pages (else a redirect to /signin), and the
// CSRF token of every POST (the session's, or the pre-sign-in cookie's on public forms; else
// 403) but on the routes whose POSTs cannot carry one (router.hpp). Handlers run only when all
// passed.

#include <boost/asio/awaitable.hpp>

#include "portal/http.hpp"
#include "portal/portal.hpp"

namespace govmail::portal {

boost::asio::awaitable<Response> dispatch(Portal& portal, const Request& request);

// The language of REQUEST: its ?lang= parameter, else its language cookie, else Korean.
Lang request_lang(const Request& request);

}  // namespace govmail::portal
