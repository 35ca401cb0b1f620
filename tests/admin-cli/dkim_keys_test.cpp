// DKIM keys under a directory: RSA 2048 and Ed25519 made with OpenSSL, mode 0600, the DNS
// record to publish, the form rspamd reads, rotation's selectors and removal.

#include "admin-cli/dkim_keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "common/base64.hpp"

namespace govmail::admin {
namespace {
namespace fs = std::filesystem;

class DkimKeysTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("dkim-keys-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path dir_;
};

TEST_F(DkimKeysTest, RsaKeyIsPrivateAndPublishedAsSpki) {
    DkimKeyStore store(dir_);
    const auto key = store.create("example.go.kr", "s1", DkimAlgorithm::Rsa);
    struct stat info {};
    ASSERT_EQ(::stat((dir_ / "example.go.kr" / "s1.pem").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat((dir_ / "example.go.kr").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    EXPECT_EQ(dns_name(key), "s1._domainkey.example.go.kr");
    // A 2048-bit SubjectPublicKeyInfo is 294 bytes: "MIIBIjAN..." in base64.
    EXPECT_TRUE(dns_txt(key).starts_with("v=DKIM1; k=rsa; p=MIIBIjAN"));
    EXPECT_EQ(decode_base64_strict(key.public_key)->size(), 294u);
    EXPECT_TRUE(rspamd_key(key).starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST_F(DkimKeysTest, Ed25519KeyIsPublishedRawAndGivenToRspamdAsSeedAndKey) {
    DkimKeyStore store(dir_);
    const auto key = store.create("example.go.kr", "ed", DkimAlgorithm::Ed25519);
    EXPECT_TRUE(dns_txt(key).starts_with("v=DKIM1; k=ed25519; p="));
    EXPECT_EQ(decode_base64_strict(key.public_key)->size(), 32u);
    const auto secret = decode_base64_strict(rspamd_key(key));
    ASSERT_TRUE(secret);
    ASSERT_EQ(secret->size(), 64u);
    EXPECT_EQ(secret->substr(32), *decode_base64_strict(key.public_key));
}

TEST_F(DkimKeysTest, TheNewestSelectorSignsAndOldOnesStayListedUntilRemoved) {
    DkimKeyStore store(dir_);
    store.create("example.go.kr", "old", DkimAlgorithm::Rsa);
    store.create("example.go.kr", "new", DkimAlgorithm::Ed25519);
    store.create("other.go.kr", "x", DkimAlgorithm::Ed25519);
    const auto keys = store.list("example.go.kr");
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].selector, "new");
    EXPECT_TRUE(keys[0].signing);
    EXPECT_EQ(keys[0].algorithm, DkimAlgorithm::Ed25519);
    EXPECT_EQ(keys[1].selector, "old");
    EXPECT_FALSE(keys[1].signing);
    EXPECT_EQ(store.list().size(), 3u);
    EXPECT_TRUE(store.remove("example.go.kr", "old"));
    EXPECT_FALSE(store.remove("example.go.kr", "old"));
    EXPECT_EQ(store.list("example.go.kr").size(), 1u);
    EXPECT_THROW(store.create("example.go.kr", "new", DkimAlgorithm::Rsa), std::runtime_error);
}

TEST_F(DkimKeysTest, NewSelectorsAreFreshNamesOfToday) {
    DkimKeyStore store(dir_);
    const auto first = store.new_selector("example.go.kr");
    EXPECT_EQ(first.size(), 9u);  // sYYYYMMDD
    store.create("example.go.kr", first, DkimAlgorithm::Ed25519);
    EXPECT_EQ(store.new_selector("example.go.kr"), first + "-2");
}

TEST(DkimNames, SelectorsAndDomainsAreDnsLabels) {
    EXPECT_TRUE(valid_selector("s20261207-2"));
    EXPECT_TRUE(valid_selector("a.b"));
    EXPECT_FALSE(valid_selector(""));
    EXPECT_FALSE(valid_selector("-a"));
    EXPECT_FALSE(valid_selector("a..b"));
    EXPECT_FALSE(valid_selector("a/b"));
    EXPECT_FALSE(valid_selector("../x"));
    EXPECT_FALSE(valid_selector(std::string(64, 'a')));
    EXPECT_TRUE(valid_domain("example.go.kr"));
    EXPECT_FALSE(valid_domain("localhost"));
    EXPECT_FALSE(valid_domain("exa mple.kr"));
    EXPECT_EQ(parse_algorithm("ed25519"), DkimAlgorithm::Ed25519);
    EXPECT_EQ(parse_algorithm("dsa"), std::nullopt);
}

}  // namespace
}  // namespace govmail::admin
