// The configuration file: defaults, every value type, and the errors an administrator sees.

#include <gtest/gtest.h>

#include "common/config.hpp"

namespace govmail {
namespace {

TEST(Config, EmptyTextGivesSafeDefaults) {
    const auto config = interpret_config(parse_config_text(""));
    EXPECT_TRUE(config.database.dsn.empty());
    EXPECT_EQ(config.smtp.mx.port, 2525);
    EXPECT_EQ(config.smtp.mx.address, "127.0.0.1");
    EXPECT_EQ(config.imap.imaps.port, 1993);
    EXPECT_TRUE(config.is_local_domain("LOCALHOST"));
    EXPECT_EQ(config.tls_certificate(), std::filesystem::path("var/tls/server.pem"));
}

TEST(Config, ReadsSectionsListsListenersAndNumbers) {
    const auto config = interpret_config(parse_config_text(
        "# comment\n"
        "[server]\n"
        "hostname = mail.example.go.kr\n"
        "local_domains = Example.GO.KR, korea.kr\n"
        "[smtp]\n"
        "mx = [::1]:25\n"
        "submissions = off\n"
        "max_message_bytes = 1048576\n"
        "[database]\n"
        "dsn = host=db.internal dbname=mail\n"
    ));
    EXPECT_EQ(config.hostname, "mail.example.go.kr");
    EXPECT_EQ(config.local_domains, (std::vector<std::string>{"example.go.kr", "korea.kr"}));
    EXPECT_EQ(config.smtp.mx.address, "::1");
    EXPECT_EQ(config.smtp.mx.port, 25);
    EXPECT_FALSE(config.smtp.submissions.enabled);
    EXPECT_EQ(config.smtp.max_message_bytes, 1048576u);
    EXPECT_EQ(config.database.dsn, "host=db.internal dbname=mail");
}

TEST(Config, RejectsUnknownKeysAndBadValuesNamingThem) {
    const auto error_of = [](const char* text) {
        try {
            interpret_config(parse_config_text(text));
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of("[smtp]\nmax_mesage_bytes = 5\n").find("smtp.max_mesage_bytes"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\nmax_message_bytes = lots\n").find("lots"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\nmx = 127.0.0.1\n").find("address:port"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\nmx = 127.0.0.1:99999\n").find("99999"), std::string::npos);
    EXPECT_NE(error_of("[smtp\n").find("line 1"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\njust words\n").find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace govmail
