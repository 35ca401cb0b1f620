// The canonical meaning of a decoded mailbox name (imapd/proto/mailbox_name.hpp): the names
// RFC 3501 section 5.1 allows, the INBOX case rule for the first level, and the names that
// reached SQL cut short or malformed before (NUL, CR LF, empty levels, "inbox/sub").

#include "imapd/proto/mailbox_name.hpp"

#include <gtest/gtest.h>

#include "imapd/proto/command_parser.hpp"
#include "imapd/proto/mutf7.hpp"
#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using namespace std::literals;

struct NameCase {
    std::string_view decoded;
    CanonicalName expected;
};

const NameCase kNames[] = {
    {"INBOX", "INBOX"s},
    {"inbox", "INBOX"s},
    {"Inbox/sub", "INBOX/sub"s},
    {"inbox/sub/inbox", "INBOX/sub/inbox"s},
    {"inboxes", "inboxes"s},
    {"Projects/2024/Q1", "Projects/2024/Q1"s},
    {"~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97", "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97"s},
    {"\xea\xb2\xb0\xec\x9e\xac", "\xea\xb2\xb0\xec\x9e\xac"s},  // 결재
    {"A & B", "A & B"s},
    {"", MailboxNameFault::Empty},
    {"/", MailboxNameFault::EmptyLevel},
    {"/a", MailboxNameFault::EmptyLevel},
    {"a/", MailboxNameFault::EmptyLevel},
    {"a//b", MailboxNameFault::EmptyLevel},
    {"INBOX\0"sv, MailboxNameFault::Control},
    {"\0"sv, MailboxNameFault::Control},
    {"a\r\n\tb", MailboxNameFault::Control},
    {"del\x7f", MailboxNameFault::Control},
    {"c1\xc2\x85", MailboxNameFault::Control},  // U+0085 NEXT LINE
    {"nbsp\xc2\xa0", "nbsp\xc2\xa0"s},          // U+00A0 is no control
    {"a*", MailboxNameFault::Wildcard},
    {"a/%", MailboxNameFault::Wildcard},
    {"caf\xe9", MailboxNameFault::BadUtf8},
};

TEST(MailboxName, CanonicalFormOrFault) {
    for (const auto& c : kNames) {
        EXPECT_EQ(canonical_mailbox_name(c.decoded), c.expected) << c.decoded;
    }
}

TEST(MailboxName, LimitsCountUtf8BytesAndLevels) {
    const MailboxNameLimits limits{10, 3};
    EXPECT_EQ(canonical_mailbox_name("a/b/c", limits), CanonicalName("a/b/c"s));
    EXPECT_EQ(canonical_mailbox_name("a/b/c/d", limits), CanonicalName(MailboxNameFault::TooDeep));
    EXPECT_EQ(canonical_mailbox_name("0123456789", limits), CanonicalName("0123456789"s));
    EXPECT_EQ(
        canonical_mailbox_name("0123456789a", limits), CanonicalName(MailboxNameFault::TooLong)
    );
    // Four Hangul syllables are 12 bytes of UTF-8.
    EXPECT_EQ(
        canonical_mailbox_name("\xea\xb2\xb0\xec\x9e\xac\xea\xb2\xb0\xec\x9e\xac", limits),
        CanonicalName(MailboxNameFault::TooLong)
    );
}

TEST(MailboxName, CanonicalNamesAreFixedPoints) {
    for (const auto& c : kNames) {
        if (const auto* name = std::get_if<std::string>(&c.expected)) {
            EXPECT_EQ(canonical_mailbox_name(*name), c.expected) << *name;
        }
    }
}

// Modified UTF-7 that decodes to control characters is no mailbox name (RFC 3501 5.1.3 says
// names are in UTF-16 "printable" form; these reached SQL as names cut at NUL before).
TEST(MailboxName, ModifiedUtf7RefusesControlCharacters) {
    for (const std::string_view name :
         {"&AAA-"sv, "INBOX&AAA-"sv, "&AA0ACgAJ-"sv, "&AH8-"sv, "&AIU-"sv, "a&AJ8-b"sv}) {
        EXPECT_EQ(mutf7_decode(name), std::nullopt) << name;
    }
    EXPECT_EQ(mutf7_decode("&AKA-"), "\xc2\xa0");  // U+00A0 NO-BREAK SPACE is fine
}

struct CommandCase {
    std::string_view input;
    ParseResult expected;
};

Error bad_name(std::string text) {
    return {ErrorKind::BadMailboxName, std::move(text), false, "A1"};
}

const CommandCase kCommands[] = {
    {"A1 DELETE \"INBOX&AAA-\"\r\n", bad_name("Mailbox name is not valid modified UTF-7")},
    {"A1 RENAME \"INBOX&AAA-\" Old\r\n", bad_name("Mailbox name is not valid modified UTF-7")},
    {"A1 CREATE \"&AAA-\"\r\n", bad_name("Mailbox name is not valid modified UTF-7")},
    {"A1 CREATE \"&AA0ACgAJ-\"\r\n", bad_name("Mailbox name is not valid modified UTF-7")},
    {"A1 CREATE \"\"\r\n", bad_name("Empty mailbox name")},
    {"A1 CREATE a//b\r\n", bad_name("Mailbox name has an empty hierarchy level")},
    {"A1 SELECT /a\r\n", bad_name("Mailbox name has an empty hierarchy level")},
    {"A1 SELECT a/\r\n", bad_name("Mailbox name has an empty hierarchy level")},
    {"A1 STATUS \"a*\" (MESSAGES)\r\n", bad_name("Mailbox name holds a wildcard")},
    {"A1 COPY 1 \"INBOX&AAA-\"\r\n", bad_name("Mailbox name is not valid modified UTF-7")},
    {"A1 SUBSCRIBE \"a\\\\\"\r\n", Command{"A1", Subscribe{"a\\"}}},
    {"A1 CREATE inbox/sub\r\n", Command{"A1", Create{"INBOX/sub", {}}}},
    {"A1 CREATE owatagusiam/\r\n", Command{"A1", Create{"owatagusiam", {}}}},
    {"A1 RENAME Inbox/a iNbOx/b/\r\n", Command{"A1", Rename{"INBOX/a", "INBOX/b"}}},
    {"A1 SELECT Inbox/sub\r\n", Command{"A1", Select{.mailbox = "INBOX/sub"}}},
    {"A1 LIST inbox/ \"\"\r\n", Command{"A1", List{"inbox/", {""}, {}, {}}}},
};

TEST(MailboxName, EveryCommandReadsNamesCanonically) {
    for (const auto& c : kCommands) {
        EXPECT_EQ(test::parse(c.input), c.expected) << c.input;
        const auto events = test::feed(c.input, 1);  // byte by byte, as a slow client sends
        ASSERT_FALSE(events.empty()) << c.input;
        EXPECT_EQ(events.back(), test::as_event(c.expected)) << c.input;
    }
}

}  // namespace
}  // namespace govmail::imap
