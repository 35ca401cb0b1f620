// FETCH items: macros, sections, partials, BINARY and modifiers.

#include "imapd/proto/fetch_parser.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

ParseResult parse_fetch_command(std::string_view arguments) {
    return test::parse("a UID FETCH 1:* " + std::string(arguments) + "\r\n");
}

Fetch parsed_fetch(std::string_view arguments) {
    const ParseResult result = parse_fetch_command(arguments);
    if (const auto* error = std::get_if<Error>(&result)) {
        ADD_FAILURE() << arguments << ": " << error->text;
        return {};
    }
    return std::get<Fetch>(std::get<Command>(result).request);
}

FetchAttribute simple(FetchItem item) { return {item, {}, false, std::nullopt}; }

FetchAttribute body(Section section, bool peek = false, std::optional<Partial> partial = {}) {
    return {FetchItem::BodySection, std::move(section), peek, partial};
}

struct ItemCase {
    std::string_view input;
    std::vector<FetchAttribute> expected;
};

const ItemCase kItems[] = {
    {"FAST",
     {simple(FetchItem::Flags), simple(FetchItem::InternalDate), simple(FetchItem::Rfc822Size)}},
    {"all",
     {simple(FetchItem::Flags), simple(FetchItem::InternalDate), simple(FetchItem::Rfc822Size),
      simple(FetchItem::Envelope)}},
    {"(ENVELOPE FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY "
     "BODYSTRUCTURE UID MODSEQ)",
     {simple(FetchItem::Envelope), simple(FetchItem::Flags), simple(FetchItem::InternalDate),
      simple(FetchItem::Rfc822), simple(FetchItem::Rfc822Header), simple(FetchItem::Rfc822Size),
      simple(FetchItem::Rfc822Text), simple(FetchItem::Body), simple(FetchItem::BodyStructure),
      simple(FetchItem::Uid), simple(FetchItem::ModSeq)}},
    {"BODY[]", {body({})}},
    {"BODY.PEEK[]<0.2048>", {body({}, true, Partial{0, 2048})}},
    {"BODY[TEXT]", {body({{}, SectionText::Text, {}})}},
    {"BODY[1.2.3]", {body({{1, 2, 3}, SectionText::None, {}})}},
    {"BODY[3.HEADER]", {body({{3}, SectionText::Header, {}})}},
    {"BODY[2.MIME]<10.20>", {body({{2}, SectionText::Mime, {}}, false, Partial{10, 20})}},
    {"BODY.PEEK[HEADER.FIELDS (From To \"Subject\")]",
     {body({{}, SectionText::HeaderFields, {"From", "To", "Subject"}}, true)}},
    {"body.peek[1.header.fields.not (X-Spam)]",
     {body({{1}, SectionText::HeaderFieldsNot, {"X-Spam"}}, true)}},
    {"(BINARY[1] BINARY.PEEK[2]<0.100> BINARY.SIZE[1.1] BINARY[])",
     {{FetchItem::BinarySection, {{1}, SectionText::None, {}}, false, std::nullopt},
      {FetchItem::BinarySection, {{2}, SectionText::None, {}}, true, Partial{0, 100}},
      {FetchItem::BinarySize, {{1, 1}, SectionText::None, {}}, false, std::nullopt},
      {FetchItem::BinarySection, {}, false, std::nullopt}}},
};

class FetchItemTest : public testing::TestWithParam<ItemCase> {};

TEST_P(FetchItemTest, Parses) {
    EXPECT_EQ(parsed_fetch(GetParam().input).attributes, GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(Items, FetchItemTest, testing::ValuesIn(kItems));

TEST(FetchParser, ReadsModifiers) {
    const Fetch fetch = parsed_fetch("(FLAGS) (CHANGEDSINCE 12345 VANISHED)");
    EXPECT_EQ(fetch.changed_since, 12345U);
    EXPECT_TRUE(fetch.vanished);
}

const std::pair<std::string_view, std::string_view> kErrors[] = {
    {"BODY[MIME]", "Invalid section"},
    {"BODY[1.]", "Invalid section"},
    {"BODY[0]", "Number must not be 0"},
    {"BODY[HEADER.FIELDS ()]", "Empty list"},
    {"BODY[HEADER.FIELDS]", "Expected a space"},
    {"BODY[]<0.0>", "Number must not be 0"},
    {"(BODY.PEEK FLAGS)", "Expected '['"},
    {"BINARY[1.TEXT]", "BINARY takes only part numbers"},
    {"BINARY.SIZE[1]<0.10>", "Unexpected extra arguments"},
    {"()", "Empty list"},
    {"(FULL)", "Unknown FETCH item"},
    {"FLAGS (VANISHED)", "VANISHED needs UID FETCH with CHANGEDSINCE"},
    {"FLAGS (CHANGEDSINCE)", "Expected a space"},
    {"FLAGS (FOO)", "Unknown FETCH modifier"},
};

TEST(FetchParser, RefusesBadItems) {
    for (const auto& [input, text] : kErrors) {
        const ParseResult result = parse_fetch_command(input);
        ASSERT_TRUE(std::holds_alternative<Error>(result)) << input;
        EXPECT_EQ(std::get<Error>(result).text, text) << input;
    }
}

}  // namespace
}  // namespace govmail::imap
