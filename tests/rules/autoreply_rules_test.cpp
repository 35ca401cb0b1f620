// What an away auto-reply setting may hold (rules/autoreply_rules.hpp), without a database.

#include "rules/autoreply_rules.hpp"

#include <gtest/gtest.h>

namespace govmail::rules {
namespace {

AutoReplySetting valid() {
    AutoReplySetting s;
    s.subject = "Away";
    s.body = "Back on Monday.\r\n";
    s.starts_on = "2026-12-24";
    s.ends_on = "2026-12-31";
    return s;
}

TEST(AutoReplyRules, DatesAreRealCalendarDays) {
    EXPECT_TRUE(is_autoreply_date("2028-02-29"));
    EXPECT_FALSE(is_autoreply_date("2026-02-29"));
    EXPECT_FALSE(is_autoreply_date("2026-13-01"));
    EXPECT_FALSE(is_autoreply_date("2026-1-01"));
    EXPECT_FALSE(is_autoreply_date("2026/01/01"));
    EXPECT_FALSE(is_autoreply_date("2026-01-0x"));
}

TEST(AutoReplyRules, AValidSettingHasNoProblem) {
    EXPECT_EQ(autoreply_setting_problem(valid()), std::nullopt);
    auto open_ended = valid();
    open_ended.starts_on.reset();
    open_ended.ends_on.reset();
    open_ended.subject.clear();
    EXPECT_EQ(autoreply_setting_problem(open_ended), std::nullopt);
}

TEST(AutoReplyRules, EachBrokenRuleIsNamed) {
    const struct {
        void (*change)(AutoReplySetting&);
        std::string problem;
    } cases[] = {
        {[](auto& s) { s.subject = "two\r\nlines"; }, "the subject must be one line of UTF-8 text"},
        {[](auto& s) { s.subject = std::string(kMaxAutoReplySubjectBytes + 1, 'x'); },
         "the subject is longer than 250 bytes"},
        {[](auto& s) { s.body = " \r\n\t"; }, "the away text is empty"},
        {[](auto& s) { s.body = "bell\a"; },
         "the away text must be UTF-8 text without control characters"},
        {[](auto& s) { s.body = "\xff"; },
         "the away text must be UTF-8 text without control characters"},
        {[](auto& s) { s.body = std::string(kMaxAutoReplyBodyBytes + 1, 'x'); },
         "the away text is larger than 64 KiB"},
        {[](auto& s) { s.ends_on = "2026-12-32"; }, "'2026-12-32' is not a date (YYYY-MM-DD)"},
        {[](auto& s) { s.ends_on = "2026-12-01"; }, "the last day is before the first day"},
        {[](auto& s) { s.period_days = 0; }, "the period must be 1 to 365 days"},
        {[](auto& s) { s.period_days = kMaxAutoReplyDays + 1; },
         "the period must be 1 to 365 days"},
    };
    for (const auto& c : cases) {
        auto setting = valid();
        c.change(setting);
        EXPECT_EQ(autoreply_setting_problem(setting), c.problem);
    }
}

TEST(AutoReplyRules, ScopeNamesRoundTrip) {
    for (const auto scope : {AutoReplyScope::All, AutoReplyScope::Organisation}) {
        EXPECT_EQ(parse_autoreply_scope(to_string(scope)), scope);
    }
    EXPECT_EQ(parse_autoreply_scope("everyone"), std::nullopt);
}

}  // namespace
}  // namespace govmail::rules
