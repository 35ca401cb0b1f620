// The script written for an away-reply setting (rules/autoreply_script.hpp) reads back, with
// the Sieve parser ManageSieve uses, as the same setting: text with quotes, backslashes and
// line breaks, every date range, an empty subject and the period.

#include "rules/autoreply_script.hpp"

#include <gtest/gtest.h>

#include "managesieve/proto/sieve_vacation.hpp"

namespace govmail::managesieve {
namespace {

rules::AutoReplySetting setting(
    std::optional<std::string> starts_on, std::optional<std::string> ends_on
) {
    rules::AutoReplySetting s;
    s.subject = "Away \"until\" \\ Monday / 부재중";
    s.body = "I am away.\r\n.\r\nSay \"hi\" to C:\\temp.\r\n";
    s.starts_on = std::move(starts_on);
    s.ends_on = std::move(ends_on);
    s.period_days = 3;
    return s;
}

void expect_reads_back(const rules::AutoReplySetting& s) {
    const auto script = rules::autoreply_script(s);
    auto parsed = parse_vacation_script(script);
    if (auto* error = std::get_if<SieveError>(&parsed)) {
        FAIL() << script << error->text;
    }
    const auto& vacation = std::get<SieveMeaning>(parsed).vacation;
    ASSERT_TRUE(vacation) << script;
    EXPECT_EQ(vacation->subject, s.subject);
    EXPECT_EQ(vacation->body, s.body);
    EXPECT_EQ(vacation->days, s.period_days);
    EXPECT_EQ(vacation->starts_on, s.starts_on);
    EXPECT_EQ(vacation->ends_on, s.ends_on);
}

TEST(AutoReplyScript, ReadsBackAsTheSetting) {
    expect_reads_back(setting(std::nullopt, std::nullopt));
    expect_reads_back(setting("2026-07-01", "2026-07-14"));
    expect_reads_back(setting("2026-07-01", std::nullopt));
    expect_reads_back(setting(std::nullopt, "2026-07-14"));
    auto plain = setting(std::nullopt, std::nullopt);
    plain.subject.clear();
    plain.period_days = 365;
    expect_reads_back(plain);
}

TEST(AutoReplyScript, IsTheScriptAClientShows) {
    auto s = setting("2026-07-01", "2026-07-14");
    s.subject = "Away";
    s.body = "Back on 15 July.";
    s.scope = rules::AutoReplyScope::Organisation;
    EXPECT_EQ(
        rules::autoreply_script(s),
        "# The away reply set in the portal or by mailadm.\n"
        "# It answers only senders in the organisation's domains.\n"
        "require [\"vacation\", \"date\", \"relational\"];\n"
        "if allof (currentdate :value \"ge\" \"date\" \"2026-07-01\",\n"
        "          currentdate :value \"le\" \"date\" \"2026-07-14\") {\n"
        "    vacation :days 3 :subject \"Away\" \"Back on 15 July.\";\n"
        "}\n"
    );
}

}  // namespace
}  // namespace govmail::managesieve
