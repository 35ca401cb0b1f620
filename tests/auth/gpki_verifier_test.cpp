// GPKI certificate checks and CRL refresh against the test PKI (tests/auth/gpki_test_pki.hpp).

#include "auth/gpki_verifier.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "auth/gpki_crl.hpp"
#include "auth/gpki_crl_refresh.hpp"
#include "tests/auth/gpki_test_pki.hpp"

namespace govmail::auth {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

class GpkiTest : public GpkiTestPki {
protected:
    static GpkiVerdict verify(const std::string& name, GpkiConfig c = config()) {
        GpkiVerifier verifier(c);
        const auto certificates = read_pem_certificates(*dir_ / (name + ".pem"));
        return verifier.verify(certificates.front().get(), nullptr, std::time(nullptr));
    }
};

TEST_F(GpkiTest, AGoodCertificateGivesItsIdentity) {
    const auto verdict = verify("good");
    ASSERT_TRUE(verdict.identity) << verdict.refusal;
    const auto& id = *verdict.identity;
    EXPECT_EQ(id.issuer, "CN=CA131100001,OU=GPKI,O=Government of Korea,C=KR");
    EXPECT_EQ(id.subject, "CN=089홍길동001,OU=행정안전부,O=Government of Korea,C=KR");
    EXPECT_EQ(verdict.subject, id.subject);
    EXPECT_EQ(id.sha256.size(), 32u);
    EXPECT_FALSE(id.serial.empty());
    EXPECT_EQ(id.serial.find_first_not_of("0123456789ABCDEF"), std::string::npos);
    EXPECT_EQ(id.crl_urls, std::vector<std::string>{"http://crl.test/gpki/ca.crl"});
}

TEST_F(GpkiTest, BadCertificatesAreRefusedWithTheReason) {
    const std::pair<const char*, const char*> cases[] = {
        {"expired", "Certificate has expired"},
        {"revoked", "Certificate has been revoked"},
        {"rogue", "Certificate is not issued by a trusted GPKI CA"},
        {"wrong_policy", "Certificate policy is not accepted for mail login"},
        {"server_eku", "Certificate extended key usage does not allow client authentication"},
    };
    for (const auto& [name, refusal] : cases) {
        const auto verdict = verify(name);
        EXPECT_FALSE(verdict.identity) << name;
        EXPECT_EQ(verdict.refusal, refusal) << name;
        EXPECT_NE(verdict.subject.find("089홍길동001"), std::string::npos) << name;
    }
}

TEST_F(GpkiTest, WithoutACurrentCrlNothingPasses) {
    auto c = config();
    c.crl_dir = *dir_ / "no-crls";
    EXPECT_EQ(
        verify("good", c).refusal,
        "Certificate revocation status is unknown (no current CRL or OCSP answer); try again later"
    );
}

TEST_F(GpkiTest, AnEmptyPolicyListAcceptsAnyPolicy) {
    auto c = config();
    c.policy_oids.clear();
    EXPECT_TRUE(verify("wrong_policy", c).identity);
}

TEST_F(GpkiTest, ANewCrlFileIsPickedUpWithoutARestart) {
    auto c = config();
    c.crl_dir = *dir_ / "crl-later";
    fs::create_directories(c.crl_dir);
    fs::copy_file(*dir_ / "crl" / "root.crl", c.crl_dir / "root.crl");
    GpkiVerifier verifier(c);
    const auto good = read_pem_certificates(*dir_ / "good.pem");
    EXPECT_FALSE(verifier.verify(good.front().get(), nullptr, std::time(nullptr)).identity);
    fs::copy_file(*dir_ / "crl" / "ca.crl", c.crl_dir / "ca.crl");
    EXPECT_TRUE(verifier.verify(good.front().get(), nullptr, std::time(nullptr)).identity);
}

TEST_F(GpkiTest, CrlRefreshKeepsTheLastGoodCrl) {
    auto c = config();
    c.crl_dir = *dir_ / "crl-refresh";
    const std::string url = "http://crl.test/gpki/ca.crl";
    const auto serve = [](std::string body) {
        return
            [body](const std::string&, std::string&) -> std::optional<std::string> { return body; };
    };
    auto results = refresh_crls(c, {url}, serve(read_file(*dir_ / "crl" / "ca.crl")));
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].updated) << results[0].detail;
    const auto kept = read_file(results[0].file);

    const CrlFetch unreachable = [](const std::string&, std::string& error) {
        error = "connection refused";
        return std::optional<std::string>();
    };
    results = refresh_crls(c, {url}, unreachable);
    EXPECT_FALSE(results[0].updated);
    EXPECT_EQ(results[0].detail, "not fetched (connection refused); kept the last good CRL");

    results = refresh_crls(c, {url}, serve("<html>maintenance</html>"));
    EXPECT_EQ(results[0].detail, "the response is not a CRL; kept the last good CRL");

    // A CRL under the same issuer name but signed by another key is not taken.
    const auto forged = *dir_ / "rogue-ca.crl";
    ASSERT_EQ(
        std::system(("openssl ca -batch -config " + (*dir_ / "rogue" / "ca.cnf").string() +
                     " -gencrl -out " + forged.string() + " 2>/dev/null")
                        .c_str()),
        0
    );
    results = refresh_crls(c, {url}, serve(read_file(forged)));
    EXPECT_EQ(
        results[0].detail, "the CRL is not signed by a CA of the bundle; kept the last good CRL"
    );
    EXPECT_EQ(read_file(results[0].file), kept);
    EXPECT_EQ(read_crl_dir(c.crl_dir).size(), 1u);
}

TEST_F(GpkiTest, AnotherSchemeIsReportedNotFetched) {
    std::string error;
    EXPECT_FALSE(distribution_point_fetch(config())("ftp://dir.example/ca.crl", error));
    EXPECT_EQ(error, "only http:// and ldap:// distribution points are fetched");
}

TEST_F(GpkiTest, AnLdapUrlWithoutAnEntryIsReportedNotFetched) {
    std::string error;
    EXPECT_FALSE(distribution_point_fetch(config())("ldap://127.0.0.1:9/", error));
    EXPECT_EQ(error, "only ldap:// URLs naming an entry are fetched");
}

}  // namespace
}  // namespace govmail::auth
