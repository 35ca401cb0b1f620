#pragma once

// The stand-in identity provider tests/support/saml_idp.py as the C++ tests call it: keys made
// at test time, and SAMLResponse form fields (signed by xmlsec1) of each variant.

#include <ctime>
#include <filesystem>
#include <string>

namespace govmail::test {

// Makes DIR/idp.{key,pem} and DIR/other.{key,pem}.
void make_idp_keys(const std::filesystem::path& dir);

struct IdpResponse {
    std::string variant = "good";
    std::string acs;
    std::string sp;
    std::string idp;
    std::string in_response_to;
    std::string user_key;
    std::time_t now = 0;
};

// The base64 SAMLResponse form field the identity provider with the keys in DIR would post.
std::string idp_response(const std::filesystem::path& dir, const IdpResponse& response);

}  // namespace govmail::test
