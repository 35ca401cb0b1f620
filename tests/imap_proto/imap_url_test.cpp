// IMAP URLs of message parts (RFC 5092) as CATENATE names them (RFC 4469): the RFCs' examples,
// absolute and relative forms, percent escapes, and the URLs that must be refused.

#include "imapd/proto/imap_url.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace govmail::imap {
namespace {

struct UrlCase {
    std::string_view url;
    std::optional<ImapUrl> expected;
};

constexpr auto kToEnd = std::numeric_limits<std::uint32_t>::max();

const UrlCase kUrls[] = {
    {"/Drafts;UIDVALIDITY=385759045/;UID=20/;SECTION=HEADER",
     ImapUrl{std::nullopt, "Drafts", 385759045, 20, "HEADER", std::nullopt}},
    {"/INBOX/;UID=3", ImapUrl{std::nullopt, "INBOX", std::nullopt, 3, "", std::nullopt}},
    {"/INBOX/;uid=3/;section=1.2.mime/;partial=10.20",
     ImapUrl{std::nullopt, "INBOX", std::nullopt, 3, "1.2.MIME", Partial{10, 20}}},
    {"/INBOX/;UID=3/;PARTIAL=7",
     ImapUrl{std::nullopt, "INBOX", std::nullopt, 3, "", Partial{7, kToEnd}}},
    {"imap://michael@example.org/INBOX;UIDVALIDITY=1/;UID=9",
     ImapUrl{"michael", "INBOX", 1, 9, "", std::nullopt}},
    {"IMAP://joe%40example.org;AUTH=*@mail.example.org:143/Sent%20Items/;UID=1",
     ImapUrl{"joe@example.org", "Sent Items", std::nullopt, 1, "", std::nullopt}},
    {"imap://mail.example.org/a%2Fb/;UID=1",
     ImapUrl{std::nullopt, "a/b", std::nullopt, 1, "", std::nullopt}},
    {"/%EA%B2%B0%EC%9E%AC/;UID=1",
     ImapUrl{std::nullopt, "\xea\xb2\xb0\xec\x9e\xac", std::nullopt, 1, "", std::nullopt}},
    {"", std::nullopt},
    {"INBOX/;UID=1", std::nullopt},            // not absolute
    {"/INBOX", std::nullopt},                  // no UID
    {"/INBOX/;UID=0", std::nullopt},           // UIDs start at 1
    {"/INBOX/;UID=4294967296", std::nullopt},  // past 32 bits
    {"/INBOX/;UID=1x", std::nullopt},
    {"/INBOX;UIDVALIDITY=/;UID=1", std::nullopt},
    {"/INBOX;FOO=1/;UID=1", std::nullopt},
    {"/INBOX/;UID=1/;PARTIAL=1.0", std::nullopt},  // empty range
    {"/INBOX/;UID=1;URLAUTH=anonymous:internal:91354a4", std::nullopt},
    {"/INBOX/;UID=1;EXPIRE=2026-01-01T00:00:00Z", std::nullopt},
    {"/INBOX?SUBJECT%20x", std::nullopt},  // a search, not a message
    {"/IN%0DBOX/;UID=1", std::nullopt},    // control character
    {"/IN%00BOX/;UID=1", std::nullopt},    // NUL
    {"/IN%4/;UID=1", std::nullopt},        // short escape
    {"/IN%ZZ/;UID=1", std::nullopt},
    {"/caf%E9/;UID=1", std::nullopt},             // not UTF-8
    {"/;UID=1", std::nullopt},                    // no mailbox
    {"imap:///INBOX/;UID=1", std::nullopt},       // no host
    {"imap://@host/INBOX/;UID=1", std::nullopt},  // empty user
    {"imap://host", std::nullopt},
    {"/INBOX/;UID=1/;SECTION=", std::nullopt},
};

TEST(ImapUrl, ParsesOrRefuses) {
    for (const auto& c : kUrls) {
        EXPECT_EQ(parse_imap_url(c.url), c.expected) << c.url;
    }
}

}  // namespace
}  // namespace govmail::imap
