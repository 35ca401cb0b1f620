// The pure rules of the self-service use cases: passwords, device names, away summaries,
// export link tokens and the CSV the address book is exported as.

#include <gtest/gtest.h>

#include "selfservice/app_passwords.hpp"
#include "selfservice/away.hpp"
#include "selfservice/csv_writer.hpp"
#include "selfservice/export_token.hpp"
#include "selfservice/password.hpp"

namespace govmail::selfservice {
namespace {

TEST(PasswordProblem, AcceptsEightCharactersOfAnyScript) {
    EXPECT_EQ(password_problem("12345678"), std::nullopt);
    EXPECT_EQ(password_problem("비밀번호비밀번호"), std::nullopt);  // 8 code points
    EXPECT_NE(password_problem("1234567"), std::nullopt);
    EXPECT_NE(password_problem("비밀번호"), std::nullopt);  // 12 bytes, 4 characters
    EXPECT_NE(password_problem(std::string(1025, 'a')), std::nullopt);
    EXPECT_NE(password_problem("abcdefg\xff"), std::nullopt);
}

TEST(DeviceNameProblem, OneToOneHundredBytes) {
    EXPECT_EQ(device_name_problem("office PC"), std::nullopt);
    EXPECT_EQ(device_name_problem(std::string(100, 'a')), std::nullopt);
    EXPECT_EQ(
        device_name_problem(std::string(101, 'a')), "the device name is longer than 100 bytes"
    );
    EXPECT_EQ(device_name_problem(""), "the device name is empty");
    // 34 Hangul syllables are 102 bytes.
    std::string hangul;
    for (int i = 0; i < 34; ++i) {
        hangul += "폰";
    }
    EXPECT_NE(device_name_problem(hangul), std::nullopt);
}

TEST(AwaySummary, NamesDatesScopeAndPeriod) {
    storage::AutoReplySetting s;
    s.enabled = true;
    EXPECT_EQ(away_summary(s), "on, all senders, once per sender every 7 day(s)");
    s.starts_on = "2026-01-02";
    s.scope = storage::AutoReplyScope::Organisation;
    s.period_days = 1;
    EXPECT_EQ(
        away_summary(s),
        "on, 2026-01-02 to …, senders in the organisation, once per sender every 1 day(s)"
    );
}

TEST(ExportToken, HashOnlyForWellFormedTokens) {
    const auto token = generate_export_token();
    EXPECT_EQ(token.size(), 64U);
    EXPECT_NE(token, generate_export_token());
    ASSERT_TRUE(export_token_hash(token));
    EXPECT_EQ(export_token_hash(token)->size(), 32U);
    EXPECT_FALSE(export_token_hash(token.substr(1)));
    EXPECT_FALSE(export_token_hash("../" + token.substr(3)));
    EXPECT_FALSE(export_token_hash(std::string(64, 'G')));
}

TEST(CsvWriter, QuotingAndFormulas) {
    EXPECT_EQ(csv_record({"a", "b"}), "a,b\r\n");
    EXPECT_EQ(csv_cell("김, 민수"), "\"김, 민수\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\r\nlines"), "\"two\r\nlines\"");
    EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
    EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_cell("-cmd"), "'-cmd");
    EXPECT_EQ(csv_cell("+82 10-1234-5678"), "+82 10-1234-5678");
    EXPECT_EQ(csv_cell(""), "");
}

}  // namespace
}  // namespace govmail::selfservice
