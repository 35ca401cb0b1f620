#pragma once

// The checks of a SAML 2.0 Response that the identity provider (Digital OnePass) POSTs to the
// portal's assertion consumer (SAML core, SAML profiles section 4.1.4 "Web Browser SSO"). Talks to
// untrusted input: the form field comes from any browser.
//
// Accepted only when: the XML is well-formed with no DTD; the Response reports Success; it holds
// exactly one Assertion (no EncryptedAssertion), a direct child of the Response; every XML
// signature in it (at least one) sits directly in the Response or the Assertion, verifies with
// xmlsec against the identity provider's pinned certificate (never a key from the message), uses
// RSA/ECDSA with SHA-256 or SHA-512 and exclusive canonicalisation, and references exactly its
// own parent by ID (IDs registered, duplicates refused): so the assertion read is the node that
// was signed, and no signature-wrapping variant gets through. Then the issuer, Destination,
// the bearer SubjectConfirmationData (Recipient, NotOnOrAfter, InResponseTo), the Conditions
// (NotBefore, NotOnOrAfter with clock skew, audience) and the user key. Whether InResponseTo
// names a request this SP issued, and whether the assertion was used before, are the store's
// checks (onepass_signin.hpp).

#include <xmlsec/keys.h>

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::auth::saml {

enum class SamlRefusal {
    Malformed,           // not base64, not XML, a DTD, or not a SAML Response
    NotSuccess,          // the provider reports a failure status
    AssertionCount,      // not exactly one plain Assertion directly in the Response
    SignatureMissing,    // no signature on the Response or the Assertion
    SignatureInvalid,    // a signature does not verify with the pinned certificate
    SignatureMisplaced,  // a signature elsewhere, or referencing anything but its parent
    Issuer,
    Destination,
    Recipient,
    Audience,
    NotYetValid,
    Expired,
    InResponseTo,  // missing or inconsistent (unknown requests: the store's check)
    NoUserKey,
};

std::string_view describe(SamlRefusal refusal);

struct VerifiedAssertion {
    std::string assertion_id;
    std::string in_response_to;
    std::string name_id;
    std::string user_key;
    std::time_t expires_at = 0;  // the replay record must be kept until then
};

struct SamlVerdict {
    std::optional<VerifiedAssertion> assertion;  // set when accepted
    std::optional<SamlRefusal> refusal;          // otherwise
};

class ResponseVerifier {
public:
    // Reads the identity provider's certificate. Throws std::runtime_error when it cannot.
    explicit ResponseVerifier(OnePassConfig config);
    ~ResponseVerifier();
    ResponseVerifier(const ResponseVerifier&) = delete;
    ResponseVerifier& operator=(const ResponseVerifier&) = delete;

    // The SAMLResponse form field: base64 (line breaks allowed) of the Response XML.
    SamlVerdict verify_form_field(std::string_view saml_response, std::time_t now) const;
    SamlVerdict verify(std::string_view response_xml, std::time_t now) const;

private:
    OnePassConfig config_;
    xmlSecKeyPtr idp_key_ = nullptr;
};

}  // namespace govmail::auth::saml
