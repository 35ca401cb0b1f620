#pragma once

// The AuthnRequest the portal sends the identity provider through the browser (SAML bindings
// section 3.4, HTTP-Redirect): the request XML, DEFLATE-compressed (raw, RFC 1951), base64 and
// URL-encoded into the SSO URL's query, with RelayState; signed over the query string
// (bindings 3.4.4.1, RSA-SHA256) when an SP key is configured. Each request has a fresh random
// ID, which the caller stores so that the response can be matched to it.

#include <ctime>
#include <string>
#include <string_view>

#include "auth/openssl_ptr.hpp"
#include "common/config.hpp"

namespace govmail::auth::saml {

inline constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

struct AuthnRedirect {
    std::string request_id;
    std::string url;  // where the browser is sent
};

// The request XML for ID, issued at NOW.
std::string authn_request_xml(const OnePassConfig& config, std::string_view id, std::time_t now);
// Raw DEFLATE (RFC 1951) of DATA, as the redirect binding carries it.
std::string deflate_raw(std::string_view data);

class AuthnRequestBuilder {
public:
    // Reads the SP's RSA key when one is configured. Throws std::runtime_error when it cannot.
    explicit AuthnRequestBuilder(OnePassConfig config);

    AuthnRedirect build(std::string_view relay_state, std::time_t now) const;

private:
    OnePassConfig config_;
    EvpPkeyPtr sp_key_;  // null: requests go unsigned
};

}  // namespace govmail::auth::saml
