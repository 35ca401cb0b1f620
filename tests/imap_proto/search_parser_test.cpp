// SEARCH criteria trees, every RFC 3501 key, ESEARCH RETURN and CHARSET.

#include "imapd/proto/search_parser.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using Kind = SearchKeyKind;

SearchKey key(Kind kind) { return {.kind = kind}; }

SearchKey text(Kind kind, std::string value) { return {.kind = kind, .text = std::move(value)}; }

SearchKey node(Kind kind, std::vector<SearchKey> children) {
    return {.kind = kind, .children = std::move(children)};
}

SearchKey date(Kind kind, int year, unsigned month, unsigned day) {
    return {
        .kind = kind,
        .date = {std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}};
}

SearchKey number(Kind kind, std::uint64_t value) { return {.kind = kind, .number = value}; }

SearchKey set(Kind kind, std::string_view text) {
    return {.kind = kind, .set = *parse_sequence_set(text)};
}

ParseResult parse_search_command(std::string_view arguments) {
    return test::parse("a SEARCH " + std::string(arguments) + "\r\n");
}

Search parsed_search(std::string_view arguments) {
    const ParseResult result = parse_search_command(arguments);
    if (const auto* error = std::get_if<Error>(&result)) {
        ADD_FAILURE() << arguments << ": " << error->text;
        return {};
    }
    return std::get<Search>(std::get<Command>(result).request);
}

struct KeyCase {
    std::string_view input;
    SearchKey expected;
};

const KeyCase kKeys[] = {
    {"ALL", key(Kind::All)},
    {"ANSWERED", key(Kind::Answered)},
    {"BCC boss", text(Kind::Bcc, "boss")},
    {"BEFORE 1-Feb-1994", date(Kind::Before, 1994, 2, 1)},
    {"BODY \"quarterly report\"", text(Kind::Body, "quarterly report")},
    {"CC {3}\r\nann", text(Kind::Cc, "ann")},
    {"DELETED", key(Kind::Deleted)},
    {"DRAFT", key(Kind::Draft)},
    {"FLAGGED", key(Kind::Flagged)},
    {"FROM Smith", text(Kind::From, "Smith")},
    {"HEADER X-Priority 1",
     SearchKey{.kind = Kind::Header, .text = "1", .header_name = "X-Priority"}},
    {"KEYWORD $Junk", text(Kind::Keyword, "$Junk")},
    {"LARGER 1000", number(Kind::Larger, 1000)},
    {"NEW", key(Kind::New)},
    {"NOT SEEN", node(Kind::Not, {key(Kind::Seen)})},
    {"OLD", key(Kind::Old)},
    {"ON \"05-Mar-2024\"", date(Kind::On, 2024, 3, 5)},
    {"OR SEEN FLAGGED", node(Kind::Or, {key(Kind::Seen), key(Kind::Flagged)})},
    {"RECENT", key(Kind::Recent)},
    {"SEEN", key(Kind::Seen)},
    {"SENTBEFORE 1-Jan-2000", date(Kind::SentBefore, 2000, 1, 1)},
    {"SENTON 29-Feb-2024", date(Kind::SentOn, 2024, 2, 29)},
    {"SENTSINCE 31-Dec-1999", date(Kind::SentSince, 1999, 12, 31)},
    {"SINCE 1-feb-1994", date(Kind::Since, 1994, 2, 1)},
    {"SMALLER 4294967296", number(Kind::Smaller, 4294967296)},
    {"SUBJECT \"\xec\x95\x88\xeb\x85\x95\"", text(Kind::Subject, "\xec\x95\x88\xeb\x85\x95")},
    {"TEXT x", text(Kind::Text, "x")},
    {"TO ann", text(Kind::To, "ann")},
    {"UID 1:*", set(Kind::Uid, "1:*")},
    {"UNANSWERED", key(Kind::Unanswered)},
    {"UNDELETED", key(Kind::Undeleted)},
    {"UNDRAFT", key(Kind::Undraft)},
    {"UNFLAGGED", key(Kind::Unflagged)},
    {"UNKEYWORD $Junk", text(Kind::Unkeyword, "$Junk")},
    {"UNSEEN", key(Kind::Unseen)},
    {"2,4:7,9", set(Kind::SequenceSet, "2,4:7,9")},
    {"$", set(Kind::SequenceSet, "$")},
    {"MODSEQ 620162338", number(Kind::ModSeq, 620162338)},
    {"MODSEQ \"/flags/\\\\draft\" all 620162338", number(Kind::ModSeq, 620162338)},
    {"(SEEN)", node(Kind::And, {key(Kind::Seen)})},
    {"unseen", key(Kind::Unseen)},
};

class SearchKeyTest : public testing::TestWithParam<KeyCase> {};

TEST_P(SearchKeyTest, Parses) {
    EXPECT_EQ(parsed_search(GetParam().input).criteria, GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(AllKeys, SearchKeyTest, testing::ValuesIn(kKeys));

TEST(SearchParser, BuildsTreeForOrOfGroupAndNot) {
    EXPECT_EQ(
        parsed_search("OR (FROM a TO b) NOT SEEN").criteria,
        node(
            Kind::Or, {node(Kind::And, {text(Kind::From, "a"), text(Kind::To, "b")}),
                       node(Kind::Not, {key(Kind::Seen)})}
        )
    );
}

TEST(SearchParser, AndsTopLevelKeysFromRfc3501Example) {
    EXPECT_EQ(
        parsed_search("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"").criteria,
        node(
            Kind::And, {key(Kind::Flagged), date(Kind::Since, 1994, 2, 1),
                        node(Kind::Not, {text(Kind::From, "Smith")})}
        )
    );
}

TEST(SearchParser, ReadsReturnOptions) {
    EXPECT_EQ(parsed_search("RETURN () ALL").returns, SearchReturn{.all = true});
    EXPECT_EQ(
        parsed_search("RETURN (MIN MAX COUNT SAVE) ALL").returns,
        (SearchReturn{.min = true, .max = true, .count = true, .save = true})
    );
    EXPECT_EQ(parsed_search("ALL").returns, std::nullopt);
}

TEST(SearchParser, AcceptsUtf8AndAsciiCharsets) {
    EXPECT_EQ(parsed_search("CHARSET us-ascii ALL").criteria, key(Kind::All));
    EXPECT_EQ(parsed_search("RETURN (COUNT) CHARSET \"UTF-8\" ALL").criteria, key(Kind::All));
}

struct ErrorCase {
    std::string_view input;
    ErrorKind kind;
    std::string_view text;
};

const ErrorCase kErrors[] = {
    {"CHARSET ISO-8859-1 ALL", ErrorKind::BadCharset, "Unsupported charset"},
    {"FROB", ErrorKind::Syntax, "Unknown search key"},
    {"OR SEEN", ErrorKind::Syntax, "Missing arguments"},
    {"NOT", ErrorKind::Syntax, "Missing arguments"},
    {"()", ErrorKind::Syntax, "Empty list"},
    {"SINCE 1994-02-01", ErrorKind::Syntax, "Invalid date"},
    {"UID 0", ErrorKind::Syntax, "Invalid sequence set"},
    {"RETURN (BIGGEST) ALL", ErrorKind::Syntax, "Unknown SEARCH RETURN option"},
    {"MODSEQ \"/flags/\\\\draft\" mine 1", ErrorKind::Syntax, "Invalid MODSEQ entry type"},
    {"NOT NOT NOT NOT NOT NOT NOT NOT NOT SEEN", ErrorKind::TooDeep, "Too deeply nested"},
    {"SEEN  UNSEEN", ErrorKind::Syntax, "Expected an atom"},
};

TEST(SearchParser, RefusesBadCriteria) {
    for (const ErrorCase& bad : kErrors) {
        const ParseResult result = parse_search_command(bad.input);
        ASSERT_TRUE(std::holds_alternative<Error>(result)) << bad.input;
        EXPECT_EQ(std::get<Error>(result).kind, bad.kind) << bad.input;
        EXPECT_EQ(std::get<Error>(result).text, bad.text) << bad.input;
    }
}

}  // namespace
}  // namespace govmail::imap
