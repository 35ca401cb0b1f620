#include "imapd/proto/mailbox_pattern.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

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

// The matcher before the bit-parallel one, kept as the meaning to agree with: a table over
// name x pattern, one row per pattern byte (RFC 3501 6.3.8: "*" matches anything, "%"
// anything but the delimiter).
bool reference_match(std::string_view name, std::string_view pattern) {
    std::vector<bool> matched(name.size() + 1, false);
    matched[0] = true;
    for (const char p : pattern) {
        std::vector<bool> next(name.size() + 1, false);
        for (std::size_t i = 0; i <= name.size(); ++i) {
            if (p == '*' || p == '%') {
                const bool extend = i > 0 && next[i - 1] && (p == '*' || name[i - 1] != '/');
                next[i] = matched[i] || extend;
            } else {
                next[i] = i > 0 && matched[i - 1] && name[i - 1] == p;
            }
        }
        matched = std::move(next);
    }
    return matched[name.size()];
}

// Every string of up to LENGTH symbols from ALPHABET.
std::vector<std::string> all_strings(std::string_view alphabet, std::size_t length) {
    std::vector<std::string> out{""};
    for (std::size_t begin = 0, level = 0; level < length; ++level) {
        const std::size_t end = out.size();
        for (std::size_t i = begin; i < end; ++i) {
            for (const char c : alphabet) {
                out.push_back(out[i] + c);
            }
        }
        begin = end;
    }
    return out;
}

TEST(MailboxPattern, AgreesWithTheReferenceOnEveryShortNameAndPattern) {
    const auto names = all_strings("ab/", 5);      // 364 names
    const auto patterns = all_strings("a/*%", 4);  // 341 patterns
    std::size_t matches = 0;
    for (const auto& pattern : patterns) {
        const MailboxPattern compiled(pattern);
        for (const auto& name : names) {
            const bool expected = reference_match(name, pattern);
            ASSERT_EQ(compiled.matches(name), expected) << name << " ~ " << pattern;
            matches += expected ? 1 : 0;
        }
    }
    EXPECT_GT(matches, 5'000U);  // the table holds matches as well as misses
}

TEST(MailboxPattern, PositionsBeyondOneWordCarryOver) {
    const std::string name(200, 'a');
    EXPECT_TRUE(matches_pattern(name, std::string(130, 'a') + "%" + std::string(60, 'a')));
    EXPECT_TRUE(matches_pattern(name + "/b", std::string(199, 'a') + "*b"));
    EXPECT_FALSE(matches_pattern(name + "/b", std::string(199, 'a') + "%b"));
    EXPECT_FALSE(matches_pattern(name, std::string(201, 'a')));
}

// The red-team case: 60,000 "%" against a 60,000-byte name took 25-59 s on the event loop.
TEST(MailboxPattern, AdversarialPatternsFinishInMilliseconds) {
    const std::string name(60'000, 'a');
    std::string alternating;
    for (int i = 0; i < 500; ++i) {
        alternating += "%a";
    }
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(matches_pattern(name, std::string(60'000, '%')));
    EXPECT_FALSE(matches_pattern(name + "/x", std::string(60'000, '%')));
    EXPECT_TRUE(matches_pattern(name, std::string(30'000, '*') + std::string(30'000, '%')));
    EXPECT_FALSE(matches_pattern(name, alternating + "b"));  // 1,001 positions, none collapse
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::milliseconds(1000));  // sanitizer builds included
}

}  // namespace
}  // namespace govmail::imap
