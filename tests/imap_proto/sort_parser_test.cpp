// SORT and THREAD arguments (RFC 5256), ESORT's RETURN (RFC 5267), the DISPLAY keys (RFC 5957).

#include "imapd/proto/sort_parser.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

Request parsed(std::string_view line) {
    const ParseResult result = test::parse(std::string(line) + "\r\n");
    if (const auto* error = std::get_if<Error>(&result)) {
        ADD_FAILURE() << "unexpected error: " << error->text;
        return Noop{};
    }
    return std::get<Command>(result).request;
}

const Error* parse_error(std::string_view line) {
    static ParseResult result;
    result = test::parse(std::string(line) + "\r\n");
    return std::get_if<Error>(&result);
}

SearchKey all() { return {.kind = SearchKeyKind::All}; }

TEST(SortParser, RoundcubeForms) {
    EXPECT_EQ(
        parsed("a UID SORT (REVERSE ARRIVAL) UTF-8 ALL"),
        Request(Sort{.uid = true, .criteria = {{SortKeyKind::Arrival, true}}, .search = all()})
    );
    EXPECT_EQ(
        parsed("a UID SORT RETURN (ALL COUNT) (DATE) UTF-8 ALL"),
        Request(Sort{
            .uid = true,
            .returns = SearchReturn{.all = true, .count = true},
            .criteria = {{SortKeyKind::Date, false}},
            .search = all()})
    );
    EXPECT_EQ(
        parsed("a UID THREAD REFERENCES UTF-8 ALL"),
        Request(Thread{.uid = true, .algorithm = ThreadAlgorithm::References, .search = all()})
    );
}

TEST(SortParser, EveryKeyAndSearchCriteria) {
    const auto request = parsed(
        "a sort (arrival cc date from reverse size subject to displayfrom reverse displayto) "
        "us-ascii undeleted subject \"x y\""
    );
    const auto& sort = std::get<Sort>(request);
    EXPECT_FALSE(sort.uid);
    const std::vector<SortCriterion> expected = {
        {SortKeyKind::Arrival, false},  {SortKeyKind::Cc, false},
        {SortKeyKind::Date, false},     {SortKeyKind::From, false},
        {SortKeyKind::Size, true},      {SortKeyKind::Subject, false},
        {SortKeyKind::To, false},       {SortKeyKind::DisplayFrom, false},
        {SortKeyKind::DisplayTo, true},
    };
    EXPECT_EQ(sort.criteria, expected);
    ASSERT_EQ(sort.search.kind, SearchKeyKind::And);
    ASSERT_EQ(sort.search.children.size(), 2U);
    EXPECT_EQ(sort.search.children[1].text, "x y");
    EXPECT_EQ(
        std::get<Thread>(parsed("a THREAD ORDEREDSUBJECT UTF-8 1:3")).algorithm,
        ThreadAlgorithm::OrderedSubject
    );
}

TEST(SortParser, RefusesBadArguments) {
    EXPECT_NE(parse_error("a SORT () UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a SORT (ARRIVAL) ALL"), nullptr);  // the charset is required
    EXPECT_NE(parse_error("a SORT (NAME) UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a SORT (REVERSE) UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a SORT ARRIVAL UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a SORT RETURN (SAVE) (DATE) UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a THREAD X-JWZ UTF-8 ALL"), nullptr);
    EXPECT_NE(parse_error("a THREAD REFERENCES UTF-8"), nullptr);
    const Error* charset = parse_error("a SORT (DATE) KOI8-R ALL");
    ASSERT_NE(charset, nullptr);
    EXPECT_EQ(charset->kind, ErrorKind::BadCharset);
    EXPECT_EQ(charset->tag, "a");
}

}  // namespace
}  // namespace govmail::imap
