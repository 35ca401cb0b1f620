#pragma once

// Decoders for the SASL messages both daemons receive, after base64 decoding: PLAIN
// (RFC 4616), OAUTHBEARER (RFC 7628 section 3.1) and XOAUTH2 (Google's format). Input is untrusted
// and carries secrets: errors never include it. Pure functions, no I/O.

#include <optional>
#include <string>
#include <string_view>

namespace govmail::auth {

struct PlainCredentials {
    std::string authzid;  // empty: act as authcid
    std::string authcid;
    std::string password;

    friend bool operator==(const PlainCredentials&, const PlainCredentials&) = default;
};

// RFC 4616 message = [authzid] NUL authcid NUL passwd: exactly two NULs, authcid and passwd
// non-empty, each part at most 255 octets (the minimum RFC 4616 requires servers to accept)
// of valid UTF-8.
std::optional<PlainCredentials> parse_plain(std::string_view message);

struct BearerMessage {
    std::string authzid;  // from the GS2 header "a=" (may be empty) or XOAUTH2 "user="
    std::string token;    // the bearer token
};

// "n,a=user@example.org,\x01host=...\x01port=...\x01auth=Bearer <token>\x01\x01"
std::optional<BearerMessage> parse_oauthbearer(std::string_view message);

// "user=<user>\x01auth=Bearer <token>\x01\x01"
std::optional<BearerMessage> parse_xoauth2(std::string_view message);

// The JSON error an OAUTHBEARER server sends before failing (RFC 7628 section 3.2.2).
std::string oauthbearer_error_json(std::string_view status, std::string_view scope);

}  // namespace govmail::auth
