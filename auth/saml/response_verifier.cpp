#include "auth/saml/response_verifier.hpp"

#include <xmlsec/crypto.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/saml/saml_time.hpp"
#include "auth/saml/xml_document.hpp"
#include "common/base64.hpp"

namespace govmail::auth::saml {
namespace {

constexpr std::size_t kMaxResponseBytes = 256 * 1024;
constexpr std::string_view kSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr std::string_view kBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

SamlVerdict refuse(SamlRefusal refusal) { return SamlVerdict{std::nullopt, refusal}; }

struct DsigCtxFree {
    void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};

// What one walk over every element finds. ID attributes are registered on the way, so that a
// signature's "#id" reference resolves to exactly one element; a repeated ID is refused.
struct Walk {
    std::vector<xmlNode*> assertions;  // Assertion and EncryptedAssertion, anywhere
    std::vector<xmlNode*> signatures;  // ds:Signature, anywhere
    bool repeated_id = false;
};

void walk(xmlDoc* doc, xmlNode* node, Walk& found) {
    for (; node != nullptr; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (is_element(node, kAssertionNs, "Assertion") ||
            is_element(node, kAssertionNs, "EncryptedAssertion")) {
            found.assertions.push_back(node);
        }
        if (is_element(node, kDsigNs, "Signature")) {
            found.signatures.push_back(node);
        }
        if (xmlAttr* id = xmlHasNsProp(node, reinterpret_cast<const xmlChar*>("ID"), nullptr)) {
            xmlChar* value = xmlNodeListGetString(doc, id->children, 1);
            if (value == nullptr || xmlGetID(doc, value) != nullptr) {
                found.repeated_id = true;
            } else {
                xmlAddID(nullptr, doc, value, id);
            }
            xmlFree(value);
        }
        walk(doc, node->children, found);
    }
}

// Where SIGNATURE is and what it signs: directly in the Response or the Assertion, with one
// Reference, to its parent's ID.
bool signature_in_place(
    const xmlNode* signature, const xmlNode* response, const xmlNode* assertion
) {
    const xmlNode* parent = signature->parent;
    if (parent != response && parent != assertion) {
        return false;
    }
    const auto id = attribute(parent, "ID");
    const xmlNode* signed_info = only_child(signature, kDsigNs, "SignedInfo");
    const xmlNode* reference =
        signed_info == nullptr ? nullptr : only_child(signed_info, kDsigNs, "Reference");
    return id && !id->empty() && reference != nullptr &&
           attribute(reference, "URI") == std::optional<std::string>("#" + *id);
}

// Whether SIGNATURE verifies with KEY alone, with the algorithms allowed, and its one verified
// reference is "#" + PARENT_ID.
bool signature_holds(xmlNode* signature, xmlSecKeyPtr key, const std::string& parent_id) {
    std::unique_ptr<xmlSecDSigCtx, DsigCtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
    if (!ctx) {
        return false;
    }
    // A preset key: xmlsec never reads one from KeyInfo then (and has no key manager to ask).
    ctx->signKey = xmlSecKeyDuplicate(key);
    ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
    for (const xmlSecTransformId id :
         {xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha512Id,
          xmlSecTransformEcdsaSha256Id}) {
        if (xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id) < 0) {
            return false;
        }
    }
    for (const xmlSecTransformId id :
         {xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId, xmlSecTransformSha256Id,
          xmlSecTransformSha512Id}) {
        if (xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id) < 0) {
            return false;
        }
    }
    if (ctx->signKey == nullptr || xmlSecDSigCtxVerify(ctx.get(), signature) < 0 ||
        ctx->status != xmlSecDSigStatusSucceeded) {
        return false;
    }
    if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) {
        return false;
    }
    const auto* reference =
        static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
    return reference != nullptr && reference->status == xmlSecDSigStatusSucceeded &&
           reference->uri != nullptr &&
           "#" + parent_id == reinterpret_cast<const char*>(reference->uri);
}

std::string strip_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            out += c;
        }
    }
    return out;
}

// The single value of the attribute NAME in ASSERTION's attribute statements; nullopt unless
// there is exactly one non-empty value.
std::optional<std::string> attribute_value(const xmlNode* assertion, const std::string& name) {
    std::vector<std::string> values;
    for (const xmlNode* statement : child_elements(assertion, kAssertionNs, "AttributeStatement")) {
        for (const xmlNode* attr : child_elements(statement, kAssertionNs, "Attribute")) {
            if (attribute(attr, "Name") != name) {
                continue;
            }
            for (const xmlNode* value : child_elements(attr, kAssertionNs, "AttributeValue")) {
                values.push_back(text_of(value));
            }
        }
    }
    if (values.size() != 1 || values.front().empty()) {
        return std::nullopt;
    }
    return values.front();
}

// The checks after the signatures: what the verified nodes say.
class AssertionReader {
public:
    AssertionReader(const OnePassConfig& config, std::time_t now) : config_(config), now_(now) {}

    SamlVerdict read(const xmlNode* response, const xmlNode* assertion) const {
        if (const auto destination = attribute(response, "Destination");
            destination && *destination != config_.acs_url) {
            return refuse(SamlRefusal::Destination);
        }
        const auto response_issuers = child_elements(response, kAssertionNs, "Issuer");
        if (response_issuers.size() > 1 ||
            (response_issuers.size() == 1 &&
             text_of(response_issuers.front()) != config_.idp_entity_id)) {
            return refuse(SamlRefusal::Issuer);
        }
        const xmlNode* issuer = only_child(assertion, kAssertionNs, "Issuer");
        if (issuer == nullptr || text_of(issuer) != config_.idp_entity_id) {
            return refuse(SamlRefusal::Issuer);
        }
        VerifiedAssertion out;
        out.assertion_id = attribute(assertion, "ID").value_or("");
        const xmlNode* subject = only_child(assertion, kAssertionNs, "Subject");
        const xmlNode* conditions = only_child(assertion, kAssertionNs, "Conditions");
        if (out.assertion_id.empty() || subject == nullptr || conditions == nullptr ||
            child_elements(assertion, kAssertionNs, "AuthnStatement").empty()) {
            return refuse(SamlRefusal::Malformed);
        }
        if (const xmlNode* name_id = only_child(subject, kAssertionNs, "NameID")) {
            out.name_id = text_of(name_id);
        }
        if (auto refusal = check_confirmation(response, subject, out)) {
            return refuse(*refusal);
        }
        if (auto refusal = check_conditions(conditions, out)) {
            return refuse(*refusal);
        }
        out.user_key = config_.user_key_attribute.empty()
                           ? out.name_id
                           : attribute_value(assertion, config_.user_key_attribute).value_or("");
        if (out.user_key.empty()) {
            return refuse(SamlRefusal::NoUserKey);
        }
        out.expires_at += config_.clock_skew.count();
        return SamlVerdict{std::move(out), std::nullopt};
    }

private:
    // The one bearer SubjectConfirmation (SAML profiles 4.1.4.2).
    std::optional<SamlRefusal> check_confirmation(
        const xmlNode* response, const xmlNode* subject, VerifiedAssertion& out
    ) const {
        std::vector<const xmlNode*> bearers;
        for (const xmlNode* c : child_elements(subject, kAssertionNs, "SubjectConfirmation")) {
            if (attribute(c, "Method") == std::optional<std::string>(kBearer)) {
                bearers.push_back(c);
            }
        }
        const xmlNode* data =
            bearers.size() == 1
                ? only_child(bearers.front(), kAssertionNs, "SubjectConfirmationData")
                : nullptr;
        if (data == nullptr || attribute(data, "NotBefore")) {
            return SamlRefusal::Malformed;
        }
        if (attribute(data, "Recipient") != config_.acs_url) {
            return SamlRefusal::Recipient;
        }
        const auto not_on_or_after = parse_saml_time(attribute(data, "NotOnOrAfter").value_or(""));
        if (!not_on_or_after) {
            return SamlRefusal::Malformed;
        }
        if (now_ - config_.clock_skew.count() >= *not_on_or_after) {
            return SamlRefusal::Expired;
        }
        out.expires_at = *not_on_or_after;
        out.in_response_to = attribute(data, "InResponseTo").value_or("");
        const auto response_in_response_to = attribute(response, "InResponseTo");
        if (out.in_response_to.empty() ||
            (response_in_response_to && *response_in_response_to != out.in_response_to)) {
            return SamlRefusal::InResponseTo;
        }
        return std::nullopt;
    }

    std::optional<SamlRefusal> check_conditions(const xmlNode* conditions, VerifiedAssertion& out)
        const {
        const auto skew = config_.clock_skew.count();
        if (const auto text = attribute(conditions, "NotBefore")) {
            const auto not_before = parse_saml_time(*text);
            if (!not_before) {
                return SamlRefusal::Malformed;
            }
            if (now_ + skew < *not_before) {
                return SamlRefusal::NotYetValid;
            }
        }
        if (const auto text = attribute(conditions, "NotOnOrAfter")) {
            const auto not_on_or_after = parse_saml_time(*text);
            if (!not_on_or_after) {
                return SamlRefusal::Malformed;
            }
            if (now_ - skew >= *not_on_or_after) {
                return SamlRefusal::Expired;
            }
            out.expires_at = std::max(out.expires_at, *not_on_or_after);
        }
        // Every AudienceRestriction must name this SP (SAML core 2.5.1.4).
        const auto restrictions = child_elements(conditions, kAssertionNs, "AudienceRestriction");
        if (restrictions.empty()) {
            return SamlRefusal::Audience;
        }
        for (const xmlNode* restriction : restrictions) {
            const auto audiences = child_elements(restriction, kAssertionNs, "Audience");
            if (std::none_of(audiences.begin(), audiences.end(), [&](const xmlNode* a) {
                    return text_of(a) == config_.sp_entity_id;
                })) {
                return SamlRefusal::Audience;
            }
        }
        return std::nullopt;
    }

    const OnePassConfig& config_;
    std::time_t now_;
};

}  // namespace

std::string_view describe(SamlRefusal refusal) {
    switch (refusal) {
        case SamlRefusal::Malformed:
            return "the response is not a well-formed SAML response";
        case SamlRefusal::NotSuccess:
            return "the identity provider reports a failure";
        case SamlRefusal::AssertionCount:
            return "the response does not hold exactly one plain assertion";
        case SamlRefusal::SignatureMissing:
            return "the response is not signed";
        case SamlRefusal::SignatureInvalid:
            return "the signature does not verify with the identity provider's certificate";
        case SamlRefusal::SignatureMisplaced:
            return "a signature does not sign its own response or assertion";
        case SamlRefusal::Issuer:
            return "the issuer is not the configured identity provider";
        case SamlRefusal::Destination:
            return "the response is addressed to another destination";
        case SamlRefusal::Recipient:
            return "the assertion is addressed to another recipient";
        case SamlRefusal::Audience:
            return "the assertion is meant for another audience";
        case SamlRefusal::NotYetValid:
            return "the assertion is not valid yet";
        case SamlRefusal::Expired:
            return "the assertion has expired";
        case SamlRefusal::InResponseTo:
            return "the assertion answers no request of this service";
        case SamlRefusal::NoUserKey:
            return "the assertion carries no user key";
    }
    return "refused";
}

ResponseVerifier::ResponseVerifier(OnePassConfig config) : config_(std::move(config)) {
    init_xml_security();
    // Read here, not by xmlsec: its loader leaks when the file cannot be opened.
    std::ifstream file(config_.idp_certificate, std::ios::binary);
    const std::string pem{std::istreambuf_iterator<char>(file), {}};
    idp_key_ = pem.empty() ? nullptr
                           : xmlSecCryptoAppKeyLoadMemory(
                                 reinterpret_cast<const xmlSecByte*>(pem.data()),
                                 static_cast<xmlSecSize>(pem.size()), xmlSecKeyDataFormatCertPem,
                                 nullptr, nullptr, nullptr
                             );
    if (idp_key_ == nullptr) {
        throw std::runtime_error(
            "onepass: cannot read the identity provider certificate " +
            config_.idp_certificate.string()
        );
    }
}

ResponseVerifier::~ResponseVerifier() { xmlSecKeyDestroy(idp_key_); }

SamlVerdict ResponseVerifier::verify_form_field(std::string_view saml_response, std::time_t now)
    const {
    const auto xml = decode_base64_strict(strip_whitespace(saml_response));
    if (!xml) {
        return refuse(SamlRefusal::Malformed);
    }
    return verify(*xml, now);
}

SamlVerdict ResponseVerifier::verify(std::string_view response_xml, std::time_t now) const {
    auto doc = parse_untrusted_xml(response_xml, kMaxResponseBytes);
    if (!doc) {
        return refuse(SamlRefusal::Malformed);
    }
    xmlNode* response = xmlDocGetRootElement(doc->get());
    if (!is_element(response, kProtocolNs, "Response") ||
        attribute(response, "Version") != std::optional<std::string>("2.0")) {
        return refuse(SamlRefusal::Malformed);
    }
    Walk found;
    walk(doc->get(), response, found);
    if (found.repeated_id) {
        return refuse(SamlRefusal::Malformed);
    }
    const xmlNode* status = only_child(response, kProtocolNs, "Status");
    const xmlNode* code =
        status == nullptr ? nullptr : only_child(status, kProtocolNs, "StatusCode");
    if (code == nullptr || attribute(code, "Value") != std::optional<std::string>(kSuccess)) {
        return refuse(SamlRefusal::NotSuccess);
    }
    if (found.assertions.size() != 1 ||
        !is_element(found.assertions.front(), kAssertionNs, "Assertion") ||
        found.assertions.front()->parent != response) {
        return refuse(SamlRefusal::AssertionCount);
    }
    xmlNode* assertion = found.assertions.front();
    if (found.signatures.empty()) {
        return refuse(SamlRefusal::SignatureMissing);
    }
    for (xmlNode* signature : found.signatures) {
        if (!signature_in_place(signature, response, assertion)) {
            return refuse(SamlRefusal::SignatureMisplaced);
        }
        if (!signature_holds(signature, idp_key_, *attribute(signature->parent, "ID"))) {
            return refuse(SamlRefusal::SignatureInvalid);
        }
    }
    return AssertionReader(config_, now).read(response, assertion);
}

}  // namespace govmail::auth::saml
