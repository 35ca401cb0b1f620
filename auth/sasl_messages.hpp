#pragma once

// Decoders for the SASL messages both daemons receive, after base64 decoding: OAUTHBEARER
// (RFC 7628 section 3.1) and XOAUTH2 (Google's format). Input is untrusted and carries
// secrets: errors never include it. Pure functions, no I/O.

#include <optional>
#include <string>
#include <string_view>

namespace govmail::auth {

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
