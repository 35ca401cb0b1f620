// The pure parts of the SMS second factor: reading "password123456", codes, digests, numbers,
// the texts users see, the gateway's URL and JSON, and the spool gateway's file.

#include "auth/sms_code.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/secrets.hpp"
#include "auth/sms_gateway.hpp"

namespace govmail::auth {
namespace {

TEST(SmsCode, SplitsSixTrailingDigitsOffAPassword) {
    struct Case {
        std::string_view secret;
        std::optional<std::pair<std::string_view, std::string_view>> want;
    };
    const Case cases[] = {
        {"secret123456", std::pair{"secret", "123456"}},
        {"s000000", std::pair{"s", "000000"}},
        {"pass 12 345678", std::pair{"pass 12 ", "345678"}},
        {"1234567", std::pair{"1", "234567"}},  // a password may be digits too
        {"123456", std::nullopt},               // nothing before the code
        {"secret12345", std::nullopt},          // five digits
        {"secret12345x", std::nullopt},
        {"secret１２３４５６", std::nullopt},  // full-width digits are not ASCII digits
        {"", std::nullopt},
    };
    for (const auto& c : cases) {
        const auto got = split_code_suffix(c.secret);
        ASSERT_EQ(got.has_value(), c.want.has_value()) << c.secret;
        if (got) {
            EXPECT_EQ(got->password, c.want->first) << c.secret;
            EXPECT_EQ(got->code, c.want->second) << c.secret;
        }
    }
}

TEST(SmsCode, CodesAreSixDigitsAndVary) {
    std::set<std::string> seen;
    std::array<int, 10> leading{};
    for (int i = 0; i < 2000; ++i) {
        const auto code = generate_sms_code();
        ASSERT_EQ(code.size(), 6u);
        for (const char c : code) {
            ASSERT_TRUE(c >= '0' && c <= '9') << code;
        }
        ++leading[static_cast<std::size_t>(code[0] - '0')];
        seen.insert(code);
    }
    EXPECT_GT(seen.size(), 1990u);  // 2000 draws of 10^6: a handful of repeats at most
    for (const int n : leading) {   // ~200 each; a stuck or biased digit shows
        EXPECT_GT(n, 120);
    }
}

TEST(SmsCode, DigestsDependOnEveryPartAndCompareOnlyEqualDigests) {
    const auto salt = generate_code_salt();
    EXPECT_EQ(salt.size(), 32u);
    EXPECT_NE(salt, generate_code_salt());
    const auto digest = sms_code_digest(salt, "123456");
    EXPECT_EQ(digest.size(), 32u);
    EXPECT_TRUE(same_digest(digest, sms_code_digest(salt, "123456")));
    EXPECT_FALSE(same_digest(digest, sms_code_digest(salt, "123457")));
    EXPECT_FALSE(same_digest(digest, sms_code_digest(generate_code_salt(), "123456")));
    EXPECT_FALSE(same_digest(digest, digest.substr(0, 31)));

    const auto trust = sms_trust_digest(7, "$argon2id$v=19$a", "123456");
    EXPECT_EQ(trust.size(), 32u);
    EXPECT_NE(trust, sms_trust_digest(8, "$argon2id$v=19$a", "123456"));
    EXPECT_NE(trust, sms_trust_digest(7, "$argon2id$v=19$b", "123456"));  // new password
    EXPECT_NE(trust, sms_trust_digest(7, "$argon2id$v=19$a", "123457"));
    // Lengths are part of the digest: moving characters between parts changes it.
    EXPECT_NE(sms_trust_digest(7, "ab", "123456"), sms_trust_digest(7, "a", "b123456"));
}

TEST(SmsCode, NumbersFromTheDirectory) {
    EXPECT_EQ(sms_number("010-1234-5678"), "01012345678");
    EXPECT_EQ(sms_number(" +82 (10) 1234.5678 "), "+821012345678");
    EXPECT_EQ(sms_number("1234567"), std::nullopt);           // too short
    EXPECT_EQ(sms_number("0101234567890123"), std::nullopt);  // too long
    EXPECT_EQ(sms_number("010-1234-567x"), std::nullopt);
    EXPECT_EQ(sms_number("010+12345678"), std::nullopt);
    EXPECT_EQ(sms_number(""), std::nullopt);
    EXPECT_EQ(number_ending("01012345678"), "5678");
    EXPECT_EQ(number_ending("12"), "12");
}

TEST(SmsCode, TextsTellTheUserWhatToDo) {
    EXPECT_EQ(
        code_sent_text("5678"),
        "A verification code was sent by SMS to the mobile number ending in 5678; log in again "
        "with your password followed by the 6-digit code"
    );
    EXPECT_NE(code_wrong_text("5678").find("ending in 5678"), std::string::npos);
    EXPECT_NE(code_expired_text("5678").find("expired"), std::string::npos);
    const auto sms = sms_text("012345", std::chrono::seconds(300));
    EXPECT_NE(sms.find("012345"), std::string::npos);
    EXPECT_NE(sms.find("5분간"), std::string::npos);
    for (const auto& text :
         {code_sent_text("5678"), code_wrong_text("5678"), code_expired_text("5678"),
          std::string(kCodeVoidText), std::string(kNoMobileText), std::string(kCodeLimitText)}) {
        EXPECT_EQ(text.find_first_of("\r\n\""), std::string::npos) << text;  // one line, quotable
    }
}

TEST(SmsGateway, ParsesHttpUrls) {
    EXPECT_EQ(
        parse_http_url("http://127.0.0.1:8080/send?key=1"),
        (HttpUrl{false, "127.0.0.1", "8080", "/send?key=1"})
    );
    EXPECT_EQ(
        parse_http_url("HTTPS://sms.example.go.kr"),
        (HttpUrl{true, "sms.example.go.kr", "443", "/"})
    );
    EXPECT_EQ(parse_http_url("http://[::1]:81/x"), (HttpUrl{false, "::1", "81", "/x"}));
    EXPECT_EQ(parse_http_url("http://h?q"), (HttpUrl{false, "h", "80", "/?q"}));
    for (const auto* bad :
         {"", "ftp://h/", "http://", "http:///x", "http://u:p@h/", "http://h:0/", "http://h:65536/",
          "http://h:x/", "http://h/a b", "http://h/#frag", "http://[::1/", "http://[::1]x/", "h:80",
          "http://h/\x01"}) {
        EXPECT_EQ(parse_http_url(bad), std::nullopt) << bad;
    }
}

TEST(SmsGateway, JsonBodyHasNumberAndText) {
    const auto body = nlohmann::json::parse(sms_json(SmsMessage{"01012345678", "code \"1\"\n"}));
    EXPECT_EQ(body, (nlohmann::json{{"to", "01012345678"}, {"text", "code \"1\"\n"}}));
}

TEST(SmsGateway, ConfigChoosesTheGateway) {
    SmsConfig config;
    EXPECT_EQ(make_sms_gateway(config), nullptr);
    config.gateway = SmsGatewayKind::Spool;
    EXPECT_NE(dynamic_cast<SpoolSmsGateway*>(make_sms_gateway(config).get()), nullptr);
    config.gateway = SmsGatewayKind::Http;
    config.url = "http://127.0.0.1:1/";
    EXPECT_NE(dynamic_cast<HttpSmsGateway*>(make_sms_gateway(config).get()), nullptr);
    config.url = "mailto:x";
    EXPECT_THROW(make_sms_gateway(config), std::runtime_error);
}

TEST(SmsGateway, SpoolAppendsOnePrivateJsonLinePerMessage) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("govmail-sms-spool-" + std::to_string(::getpid())) / "spool";
    std::filesystem::remove_all(dir.parent_path());
    SpoolSmsGateway gateway(dir);
    boost::asio::io_context ioc;
    auto first = boost::asio::co_spawn(
        ioc, gateway.send(SmsMessage{"01012345678", "one"}), boost::asio::use_future
    );
    auto second = boost::asio::co_spawn(
        ioc, gateway.send(SmsMessage{"+821099998888", "two"}), boost::asio::use_future
    );
    ioc.run();
    EXPECT_TRUE(first.get());
    EXPECT_TRUE(second.get());
    const auto file = dir / "sms.jsonl";
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(dir.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    std::ifstream in(file);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::json::parse(line));
    }
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["to"], "01012345678");
    EXPECT_EQ(lines[0]["text"], "one");
    EXPECT_EQ(lines[1]["to"], "+821099998888");
    EXPECT_TRUE(lines[1]["spooled_at"].is_number());
    std::filesystem::remove_all(dir.parent_path());
}

TEST(SmsGateway, SpoolIntoAnUnwritablePlaceFailsWithoutThrowing) {
    SpoolSmsGateway gateway("/proc/govmail-no-such-dir");
    boost::asio::io_context ioc;
    auto sent = boost::asio::co_spawn(
        ioc, gateway.send(SmsMessage{"01012345678", "x"}), boost::asio::use_future
    );
    ioc.run();
    EXPECT_FALSE(sent.get());
}

}  // namespace
}  // namespace govmail::auth
