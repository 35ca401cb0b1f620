// libFuzzer target for the OnePass SAML response checks (auth/saml/response_verifier.hpp):
// ResponseVerifier over an identity provider key made for this run with the openssl command.
// Each input is used as the Response XML three ways:
// - as it is: it must be refused, since the key made at start-up never signed it; the base64
//   form field of the same bytes gets the same verdict;
// - signed here (its first ds:Signature filled in by xmlsec with that key, the Assertion and
//   Response IDs registered as xmlsec1 --id-attr would): the checks after the signature then run
//   on arbitrary SAML, and whatever they accept must be a complete assertion whose signature this
//   run made and whose time window holds;
// - as an xs:dateTime: what parses formats back to the same instant.
// Seeds (corpus/saml_response_fuzz) are responses of tests/support/saml_idp.py, issued at the
// fuzzer's fixed clock.

#include <libxml/tree.h>
#include <unistd.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "auth/saml/response_verifier.hpp"
#include "auth/saml/saml_time.hpp"
#include "auth/saml/xml_document.hpp"
#include "common/base64.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::auth::saml {
namespace {

using fuzz::check;

constexpr std::time_t kNow = 1'750'000'000;  // a fixed clock: runs replay exactly

struct Setup {
    std::filesystem::path dir;
    OnePassConfig config;
    std::unique_ptr<ResponseVerifier> verifier;
    xmlSecKeyPtr signing_key = nullptr;
};

Setup* setup = nullptr;

void remove_dir() {
    if (setup != nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(setup->dir, ignored);
    }
}

// Registers the ID of every SAML Response and Assertion below NODE, as xmlsec1 --id-attr does.
void register_ids(xmlDoc* doc, xmlNode* node) {
    for (; node != nullptr; node = node->next) {
        if (is_element(node, kProtocolNs, "Response") ||
            is_element(node, kAssertionNs, "Assertion")) {
            if (xmlAttr* id = xmlHasNsProp(node, reinterpret_cast<const xmlChar*>("ID"), nullptr)) {
                xmlChar* value = xmlNodeListGetString(doc, id->children, 1);
                if (value != nullptr && xmlGetID(doc, value) == nullptr) {
                    xmlAddID(nullptr, doc, value, id);
                }
                xmlFree(value);
            }
        }
        register_ids(doc, node->children);
    }
}

// INPUT with its first signature made by the run's key; empty when it cannot be signed.
std::string signed_here(std::string_view input) {
    auto doc = parse_untrusted_xml(input, 256 * 1024);
    if (!doc) {
        return {};
    }
    xmlNode* root = xmlDocGetRootElement(doc->get());
    register_ids(doc->get(), root);
    xmlNode* signature = xmlSecFindNode(root, xmlSecNodeSignature, xmlSecDSigNs);
    if (signature == nullptr) {
        return {};
    }
    xmlSecDSigCtx* ctx = xmlSecDSigCtxCreate(nullptr);
    check(ctx != nullptr, "a signing context can be made");
    ctx->signKey = xmlSecKeyDuplicate(setup->signing_key);
    const bool made = xmlSecDSigCtxSign(ctx, signature) >= 0;
    xmlSecDSigCtxDestroy(ctx);
    if (!made) {
        return {};
    }
    xmlChar* text = nullptr;
    int size = 0;
    xmlDocDumpMemory(doc->get(), &text, &size);
    std::string out(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    xmlFree(text);
    return out;
}

void check_signed(std::string_view input) {
    const auto document = signed_here(input);
    if (document.empty()) {
        return;
    }
    const auto verdict = setup->verifier->verify(document, kNow);
    check(verdict.assertion.has_value() != verdict.refusal.has_value(), "accepted or refused");
    if (verdict.assertion) {
        const auto& a = *verdict.assertion;
        check(
            !a.assertion_id.empty() && !a.in_response_to.empty(), "an accepted assertion has IDs"
        );
        check(!a.user_key.empty() && a.user_key == a.name_id, "the user key is the NameID");
        check(
            a.expires_at > kNow - setup->config.clock_skew.count(),
            "an accepted assertion is current"
        );
    }
}

void check_time(std::string_view input) {
    if (const auto when = parse_saml_time(input)) {
        check(
            format_saml_time(*when) == std::string(input.substr(0, 19)) + "Z",
            "a parsed instant formats back"
        );
    }
}

}  // namespace
}  // namespace govmail::auth::saml

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    using namespace govmail::auth::saml;
    std::string pattern =
        (std::filesystem::temp_directory_path() / "govmail-saml-fuzz-XXXXXX").string();
    const char* dir = ::mkdtemp(pattern.data());
    check(dir != nullptr, "a key directory can be made");
    setup = new Setup{};
    setup->dir = dir;
    std::atexit(remove_dir);
    const auto key = setup->dir / "idp.key";
    const auto cert = setup->dir / "idp.pem";
    const auto command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=fuzz-idp"
        " -keyout " +
        key.string() + " -out " + cert.string() + " 2>/dev/null";
    check(std::system(command.c_str()) == 0, "the openssl command makes a key");
    setup->config.idp_entity_id = "https://onepass.example.go.kr/idp";
    setup->config.idp_certificate = cert;
    setup->config.sp_entity_id = "https://mail.example.go.kr/portal/saml";
    setup->config.acs_url = "https://mail.example.go.kr/portal/saml/acs";
    setup->verifier = std::make_unique<ResponseVerifier>(setup->config);
    setup->signing_key =
        xmlSecCryptoAppKeyLoad(key.c_str(), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
    check(setup->signing_key != nullptr, "the key loads");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::auth::saml;
    const std::string_view input = govmail::fuzz::as_text(data, size);

    const auto verdict = setup->verifier->verify(input, kNow);
    check(!verdict.assertion, "nothing the run's key did not sign is accepted");
    check(verdict.refusal.has_value(), "a refusal says why");
    const auto field = setup->verifier->verify_form_field(govmail::encode_base64(input), kNow);
    check(field.refusal == verdict.refusal, "the form field decodes to the same verdict");

    check_signed(input);
    check_time(input);
    return 0;
}
