#include "imapd/cmd/mailbox_pattern.hpp"

#include <gtest/gtest.h>

namespace govmail::imap {
namespace {

struct PatternCase {
    std::string_view name;
    std::string_view pattern;
    bool matches;
};

TEST(MailboxPattern, WildcardsFollowRfc3501) {
    const PatternCase cases[] = {
        {"INBOX", "*", true},   {"a/b/c", "*", true},     {"a/b/c", "%", false},
        {"a", "%", true},       {"a/b", "a/%", true},     {"a/b/c", "a/%", false},
        {"a/b/c", "a/*", true}, {"a/b/c", "a/%/c", true}, {"Sent", "S%t", true},
        {"Sent", "s%", false},  {"", "%", true},          {"abc", "a*c*", true},
        {"ab", "abc", false},   {"a%b", "a%b", true},     {"Drafts", "Drafts", true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(matches_pattern(c.name, c.pattern), c.matches) << c.name << " ~ " << c.pattern;
    }
}

TEST(MailboxPattern, InboxIsCaseInsensitiveAndReferenceIsPrepended) {
    EXPECT_EQ(list_pattern("", "inbox"), "INBOX");
    EXPECT_EQ(list_pattern("", "Inbox/%"), "INBOX/%");
    EXPECT_EQ(list_pattern("", "inboxes"), "inboxes");
    EXPECT_EQ(list_pattern("Archive/", "%"), "Archive/%");
}

TEST(MailboxPattern, NewNamesAreNormalised) {
    EXPECT_EQ(normalized_new_name("a/b/"), "a/b");
    EXPECT_EQ(normalized_new_name(""), "");
    EXPECT_EQ(normalized_new_name("/a"), "");
    EXPECT_EQ(normalized_new_name("a//b"), "");
    EXPECT_EQ(normalized_new_name("a*"), "");
    EXPECT_EQ(normalized_new_name("결재"), "결재");
}

}  // namespace
}  // namespace govmail::imap
