// Sequence sets: parsing edge cases, resolving "*" and writing the compact form.

#include "imapd/proto/sequence_set.hpp"

#include <gtest/gtest.h>

namespace govmail::imap {
namespace {

struct SetCase {
    std::string_view text;
    std::optional<SequenceSet> expected;
};

const SetCase kSets[] = {
    {"1", SequenceSet{{{1, 1}}}},
    {"*", SequenceSet{{{kStar, kStar}}}},
    {"1:*", SequenceSet{{{1, kStar}}}},
    {"*:4", SequenceSet{{{kStar, 4}}}},
    {"2,4:7,9", SequenceSet{{{2, 2}, {4, 7}, {9, 9}}}},
    {"4294967295", SequenceSet{{{4294967295, 4294967295}}}},
    {"$", SequenceSet{{}, true}},
    {"0", std::nullopt},
    {"1:0", std::nullopt},
    {"01", std::nullopt},
    {"4294967296", std::nullopt},
    {"", std::nullopt},
    {"1,", std::nullopt},
    {",1", std::nullopt},
    {"1::2", std::nullopt},
    {"1:2:3", std::nullopt},
    {"$,1", std::nullopt},
    {"**", std::nullopt},
};

class SequenceSetParseTest : public testing::TestWithParam<SetCase> {};

TEST_P(SequenceSetParseTest, Parses) {
    EXPECT_EQ(parse_sequence_set(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Table, SequenceSetParseTest, testing::ValuesIn(kSets));

TEST(SequenceSet, ResolvesStarAndMergesRanges) {
    const SequenceSet set = *parse_sequence_set("*:4,1,2,9:7,20");
    EXPECT_EQ(resolve_sequence_set(set, 10), (std::vector<SeqRange>{{1, 2}, {4, 10}, {20, 20}}));
}

TEST(SequenceSet, ResolvesStarBelowTheOtherEnd) {
    EXPECT_EQ(resolve_sequence_set(*parse_sequence_set("*:4"), 3), (std::vector<SeqRange>{{3, 4}}));
}

TEST(SequenceSet, MergesAdjacentRangesAtTheTopOfTheRange) {
    EXPECT_EQ(
        resolve_sequence_set(*parse_sequence_set("4294967295,1:4294967294"), 5),
        (std::vector<SeqRange>{{1, 4294967295}})
    );
}

TEST(SequenceSet, FormatsCompactly) {
    EXPECT_EQ(format_sequence_set({7, 1, 3, 2, 3}), "1:3,7");
    EXPECT_EQ(format_sequence_set({5}), "5");
    EXPECT_EQ(format_sequence_set({}), "");
    EXPECT_EQ(format_sequence_set({4294967294, 4294967295, 1}), "1,4294967294:4294967295");
}

}  // namespace
}  // namespace govmail::imap
