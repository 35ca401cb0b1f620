// The SAML response checks of the OnePass sign-in (auth/saml/response_verifier.hpp) against
// responses signed by Debian's xmlsec1 command through the stand-in identity provider
// tests/support/saml_idp.py, with keys made at test time: every accept path and every refusal,
// signature wrapping included. Also the AuthnRequest redirect, the SP metadata and xs:dateTime.

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "auth/openssl_ptr.hpp"
#include "auth/saml/authn_request.hpp"
#include "auth/saml/response_verifier.hpp"
#include "auth/saml/saml_time.hpp"
#include "auth/saml/sp_metadata.hpp"
#include "auth/saml/xml_document.hpp"
#include "common/base64.hpp"
#include "tests/auth/saml_idp_client.hpp"

namespace govmail::auth::saml {
namespace {

const std::string kIdp = "https://onepass.example.go.kr/idp";
const std::string kSp = "https://mail.example.go.kr/portal/saml";
const std::string kAcs = "https://mail.example.go.kr/portal/saml/acs";
const std::string kRequestId = "_4f2a9c0d1e3b5a7c9e1f3a5b7c9d1e3f";
const std::string kUserKey = "20001";

// Keys made once for the whole binary.
class SamlKeys : public ::testing::Environment {
public:
    void SetUp() override {
        dir =
            std::filesystem::temp_directory_path() / ("govmail-saml-" + std::to_string(::getpid()));
        test::make_idp_keys(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    static inline std::filesystem::path dir;
};

const auto* const keys_environment = ::testing::AddGlobalTestEnvironment(new SamlKeys);

OnePassConfig config() {
    OnePassConfig c;
    c.idp_entity_id = kIdp;
    c.sso_url = "https://onepass.example.go.kr/sso";
    c.idp_certificate = SamlKeys::dir / "idp.pem";
    c.sp_entity_id = kSp;
    c.acs_url = kAcs;
    return c;
}

// The SAMLResponse form field of VARIANT, issued NOW for USER_KEY.
std::string response(
    const std::string& variant, std::time_t now, const std::string& user_key = kUserKey
) {
    return test::idp_response(SamlKeys::dir, {variant, kAcs, kSp, kIdp, kRequestId, user_key, now});
}

std::string xml_of(const std::string& form_field) { return *decode_base64_strict(form_field); }

class ResponseTest : public ::testing::Test {
protected:
    const std::time_t now_ = std::time(nullptr);
    ResponseVerifier verifier_{config()};

    std::optional<SamlRefusal> refusal_of(const std::string& variant) {
        return verifier_.verify_form_field(response(variant, now_), now_).refusal;
    }
};

TEST_F(ResponseTest, AGoodResponseGivesTheSignedAssertion) {
    const auto verdict = verifier_.verify_form_field(response("good", now_), now_);
    ASSERT_TRUE(verdict.assertion) << describe(*verdict.refusal);
    EXPECT_EQ(verdict.assertion->user_key, kUserKey);
    EXPECT_EQ(verdict.assertion->name_id, kUserKey);
    EXPECT_EQ(verdict.assertion->in_response_to, kRequestId);
    EXPECT_EQ(verdict.assertion->assertion_id.front(), '_');
    // Kept for replay checks until the assertion's end (now + 300) and the clock skew.
    EXPECT_EQ(verdict.assertion->expires_at, now_ + 300 + config().clock_skew.count());
}

TEST_F(ResponseTest, ASignatureOnTheResponseCoversItsAssertion) {
    const auto verdict = verifier_.verify_form_field(response("response_signed", now_), now_);
    ASSERT_TRUE(verdict.assertion) << describe(*verdict.refusal);
    EXPECT_EQ(verdict.assertion->user_key, kUserKey);
}

TEST_F(ResponseTest, TheUserKeyCanComeFromAnAttribute) {
    auto c = config();
    c.user_key_attribute = "userKey";
    const auto verdict = ResponseVerifier(c).verify_form_field(response("good", now_), now_);
    ASSERT_TRUE(verdict.assertion);
    EXPECT_EQ(verdict.assertion->user_key, kUserKey);

    c.user_key_attribute = "notThere";
    EXPECT_EQ(
        ResponseVerifier(c).verify_form_field(response("good", now_), now_).refusal,
        SamlRefusal::NoUserKey
    );
}

TEST_F(ResponseTest, LineBreaksInTheFormFieldAreAllowed) {
    auto field = response("good", now_);
    for (std::size_t at = 76; at < field.size(); at += 78) {
        field.insert(at, "\r\n");
    }
    EXPECT_TRUE(verifier_.verify_form_field(field, now_).assertion);
}

TEST_F(ResponseTest, SignatureAttacksAreRefused) {
    EXPECT_EQ(refusal_of("broken_signature"), SamlRefusal::SignatureInvalid);
    EXPECT_EQ(refusal_of("missing_signature"), SamlRefusal::SignatureMissing);
    // Signed by a key the SP does not know, which the message carries in its KeyInfo.
    EXPECT_EQ(refusal_of("wrong_key"), SamlRefusal::SignatureInvalid);
}

TEST_F(ResponseTest, SignatureWrappingIsRefused) {
    // The signed assertion moved into Extensions, an evil one with the same ID in its place.
    EXPECT_EQ(refusal_of("wrapping"), SamlRefusal::Malformed);
    // The genuine signature carried by an evil assertion.
    EXPECT_EQ(refusal_of("wrapping_signature"), SamlRefusal::SignatureMisplaced);
    // Two signed assertions: which one would be read is not left to chance.
    EXPECT_EQ(refusal_of("two_assertions"), SamlRefusal::AssertionCount);
}

TEST_F(ResponseTest, WrappingWithAFreshIdForTheEvilAssertionIsRefused) {
    // The wrapping variant edited so the IDs differ: then two assertions are found.
    auto xml = xml_of(response("wrapping", now_));
    const auto last = xml.rfind("<saml:Assertion");
    const auto id_at = xml.find("ID=\"", last) + 4;
    xml.replace(id_at, 1, "_x");
    EXPECT_EQ(verifier_.verify(xml, now_).refusal, SamlRefusal::AssertionCount);
}

TEST_F(ResponseTest, ASignatureReferencingAnotherElementIsRefused) {
    // The assertion's signature made to reference the Response: it no longer signs its parent.
    auto xml = xml_of(response("good", now_));
    const auto response_id_at = xml.find(" ID=\"") + 5;
    const auto response_id =
        xml.substr(response_id_at, xml.find('"', response_id_at) - response_id_at);
    const auto uri_at = xml.find("URI=\"#") + 6;
    xml.replace(uri_at, xml.find('"', uri_at) - uri_at, response_id);
    EXPECT_EQ(verifier_.verify(xml, now_).refusal, SamlRefusal::SignatureMisplaced);
}

TEST_F(ResponseTest, ClaimsThatDoNotFitAreRefused) {
    EXPECT_EQ(refusal_of("expired"), SamlRefusal::Expired);
    EXPECT_EQ(refusal_of("not_yet_valid"), SamlRefusal::NotYetValid);
    EXPECT_EQ(refusal_of("wrong_audience"), SamlRefusal::Audience);
    EXPECT_EQ(refusal_of("wrong_issuer"), SamlRefusal::Issuer);
    EXPECT_EQ(refusal_of("wrong_recipient"), SamlRefusal::Recipient);
    EXPECT_EQ(refusal_of("wrong_destination"), SamlRefusal::Destination);
    EXPECT_EQ(refusal_of("wrong_in_response_to"), SamlRefusal::InResponseTo);
    EXPECT_EQ(refusal_of("failure_status"), SamlRefusal::NotSuccess);
}

TEST_F(ResponseTest, TheClockSkewIsTolerated) {
    const auto field = response("good", now_);
    // Conditions NotBefore is now - 30; the skew is 120 s.
    EXPECT_TRUE(verifier_.verify_form_field(field, now_ - 140).assertion);
    EXPECT_EQ(verifier_.verify_form_field(field, now_ - 200).refusal, SamlRefusal::NotYetValid);
    // NotOnOrAfter is now + 300.
    EXPECT_TRUE(verifier_.verify_form_field(field, now_ + 400).assertion);
    EXPECT_EQ(verifier_.verify_form_field(field, now_ + 420).refusal, SamlRefusal::Expired);
}

TEST_F(ResponseTest, ADocumentTypeDeclarationIsRefused) {
    EXPECT_EQ(refusal_of("doctype"), SamlRefusal::Malformed);
    const std::string xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>";
    EXPECT_EQ(verifier_.verify(xxe, now_).refusal, SamlRefusal::Malformed);
}

TEST_F(ResponseTest, NonsenseIsMalformed) {
    for (const std::string field : {"", "!!!", "PGE+PC9hPg==", "PGE+"}) {
        EXPECT_EQ(verifier_.verify_form_field(field, now_).refusal, SamlRefusal::Malformed)
            << field;
    }
    EXPECT_EQ(
        verifier_
            .verify("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>", now_)
            .refusal,
        SamlRefusal::Malformed
    );
}

TEST(ResponseVerifierSetup, AMissingCertificateStopsTheStart) {
    auto c = config();
    c.idp_certificate = "/nonexistent/idp.pem";
    EXPECT_THROW(ResponseVerifier{c}, std::runtime_error);
}

TEST(SamlTime, ParsesUtcInstantsOnly) {
    EXPECT_EQ(parse_saml_time("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_saml_time("2026-11-23T09:30:00Z"), 1'795'426'200);
    EXPECT_EQ(parse_saml_time("2026-11-23T09:30:00.123Z"), 1'795'426'200);
    EXPECT_EQ(parse_saml_time("2024-02-29T00:00:00Z"), 1'709'164'800);
    for (const std::string_view bad :
         {"", "2026-11-23T09:30:00", "2026-11-23T09:30:00+09:00", "2026-11-23 09:30:00Z",
          "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-23T24:00:00Z",
          "2026-11-23T09:30:00.Z", "2026-11-23T09:30:00.1234567890Z", "2026-1l-23T09:30:00Z"}) {
        EXPECT_FALSE(parse_saml_time(bad)) << bad;
    }
    EXPECT_EQ(format_saml_time(1'795'426'200), "2026-11-23T09:30:00Z");
}

// The query parameter NAME of URL, percent-decoded.
std::string query_value(const std::string& url, const std::string& name) {
    const auto at = url.find(name + "=");
    if (at == std::string::npos) {
        return {};
    }
    const auto start = at + name.size() + 1;
    const auto raw = url.substr(start, url.find('&', start) - start);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%') {
            out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += raw[i];
        }
    }
    return out;
}

std::string inflate_raw(const std::string& data) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, -15), Z_OK);
    std::string out(64 * 1024, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    return out;
}

TEST(AuthnRequest, TheRedirectCarriesADeflatedRequestWithAFreshId) {
    const AuthnRequestBuilder builder(config());
    const auto first = builder.build("/portal/home?x=1", 1'795'426'200);
    const auto second = builder.build("", 1'795'426'200);
    EXPECT_NE(first.request_id, second.request_id);
    EXPECT_EQ(first.request_id.size(), 33u);
    EXPECT_TRUE(first.url.starts_with("https://onepass.example.go.kr/sso?SAMLRequest="));
    EXPECT_EQ(query_value(first.url, "RelayState"), "/portal/home?x=1");
    EXPECT_EQ(first.url.find("Signature="), std::string::npos);

    const auto xml = inflate_raw(*decode_base64_strict(query_value(first.url, "SAMLRequest")));
    const auto doc = parse_untrusted_xml(xml, 64 * 1024);
    ASSERT_TRUE(doc);
    const xmlNode* root = xmlDocGetRootElement(doc->get());
    EXPECT_TRUE(is_element(root, kProtocolNs, "AuthnRequest"));
    EXPECT_EQ(attribute(root, "ID"), first.request_id);
    EXPECT_EQ(attribute(root, "IssueInstant"), "2026-11-23T09:30:00Z");
    EXPECT_EQ(attribute(root, "Destination"), "https://onepass.example.go.kr/sso");
    EXPECT_EQ(attribute(root, "AssertionConsumerServiceURL"), kAcs);
    EXPECT_EQ(text_of(only_child(root, kAssertionNs, "Issuer")), kSp);
}

TEST(AuthnRequest, WithAnSpKeyTheQueryIsSigned) {
    auto c = config();
    c.sp_private_key = SamlKeys::dir / "other.key";
    const auto redirect = AuthnRequestBuilder(c).build("state", 1'795'426'200);
    EXPECT_EQ(query_value(redirect.url, "SigAlg"), kRsaSha256);
    // Bindings 3.4.4.1: the signature is over the query up to and with SigAlg, as sent.
    const auto query = redirect.url.substr(redirect.url.find('?') + 1);
    const auto signed_part = query.substr(0, query.find("&Signature="));
    const auto signature = *decode_base64_strict(query_value(redirect.url, "Signature"));

    std::unique_ptr<FILE, decltype(&std::fclose)> in(
        std::fopen((SamlKeys::dir / "other.pem").c_str(), "rb"), &std::fclose
    );
    X509Ptr cert(PEM_read_X509(in.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(cert);
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    ASSERT_EQ(
        EVP_DigestVerifyInit(
            ctx.get(), nullptr, EVP_sha256(), nullptr, X509_get0_pubkey(cert.get())
        ),
        1
    );
    EXPECT_EQ(
        EVP_DigestVerify(
            ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
            reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()
        ),
        1
    );
}

TEST(SpMetadata, NamesTheEntityTheConsumerAndTheCertificate) {
    auto c = config();
    c.acs_url = "https://mail.example.go.kr/acs?a=1&b=2";
    c.sp_certificate = SamlKeys::dir / "other.pem";
    const auto xml = sp_metadata_xml(c);
    const auto doc = parse_untrusted_xml(xml, 64 * 1024);
    ASSERT_TRUE(doc) << xml;
    const xmlNode* root = xmlDocGetRootElement(doc->get());
    EXPECT_EQ(attribute(root, "entityID"), kSp);
    const xmlNode* sp = only_child(root, kMetadataNs, "SPSSODescriptor");
    ASSERT_NE(sp, nullptr);
    EXPECT_EQ(attribute(sp, "WantAssertionsSigned"), "true");
    EXPECT_EQ(
        attribute(only_child(sp, kMetadataNs, "AssertionConsumerService"), "Location"), c.acs_url
    );
    EXPECT_NE(xml.find("<ds:X509Certificate>MII"), std::string::npos);
}

}  // namespace
}  // namespace govmail::auth::saml
