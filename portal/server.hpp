#pragma once

// One HTTPS connection of the portal (RFC 9110/9112 over TLS, parsed by Boost.Beast): the TLS
// handshake (the client certificate is optional), then requests one after another on the
// connection (keep-alive) until the client closes, a request is malformed or too big, or
// the deadline passes: portal.request_timeout for the handshake, then for each whole request
// (the wait for it, its headers and its body), however its bytes trickle in. Talks to
// untrusted clients; every limit is checked before anything is stored.

#include <boost/asio/awaitable.hpp>

#include "portal/portal.hpp"
#include "runtime/session_stream.hpp"

namespace govmail::portal {

boost::asio::awaitable<void> serve_portal(SessionStream stream, Portal& portal);

}  // namespace govmail::portal
