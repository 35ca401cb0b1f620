#include "imapd/cmd/selected_view.hpp"

#include <gtest/gtest.h>

namespace govmail::imap {
namespace {

SelectedView view_of(std::vector<storage::Uid> uids) {
    storage::MailboxInfo info;
    info.id = 7;
    info.name = "INBOX";
    info.uidvalidity = 99;
    info.uidnext = 1;
    info.highest_modseq = 10;
    std::vector<storage::MessageState> states;
    for (const auto uid : uids) {
        states.push_back(storage::MessageState{uid, 5, {}});
    }
    return SelectedView(info, std::move(states), false);
}

SequenceSet set(std::string_view text) { return *parse_sequence_set(text); }

// What other sessions did to a view of UIDs 3, 5 and 9: 5 expunged, 9 seen, 10 delivered.
storage::MailboxChanges others_changes() {
    storage::MailboxChanges changes;
    changes.expunged = {5};
    changes.changed = {storage::MessageState{9, 12, {"\\Seen"}}, storage::MessageState{10, 13, {}}};
    changes.highest_modseq = 13;
    return changes;
}

TEST(SelectedView, ResolvesSequenceNumbersAndUids) {
    auto view = view_of({3, 5, 9});
    EXPECT_EQ(view.uidnext(), 10U);
    EXPECT_EQ(*view.resolve(set("1:*"), false), (std::vector<std::uint32_t>{1, 2, 3}));
    EXPECT_EQ(*view.resolve(set("2"), false), (std::vector<std::uint32_t>{2}));
    EXPECT_FALSE(view.resolve(set("4"), false));
    EXPECT_EQ(*view.resolve(set("4:9"), true), (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(*view.resolve(set("100:*"), true), (std::vector<std::uint32_t>{3}));
    EXPECT_TRUE(view.resolve(set("1:2"), true)->empty());
    // SEARCHRES: "$" is empty until a result is saved, then names its messages still here.
    EXPECT_TRUE(view.resolve(set("$"), true)->empty());
    view.save_result({5, 7, 9});
    EXPECT_EQ(*view.resolve(set("$"), false), (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(view.uid_ranges({1, 2, 3}), (storage::UidRanges{{3, 9}}));
    EXPECT_EQ(view.uid_ranges({1, 3}), (storage::UidRanges{{3, 3}, {9, 9}}));
}

TEST(SelectedView, HoldsExpungesUntilTheyMayBeSent) {
    auto view = view_of({3, 5, 9});
    view.apply(others_changes());
    std::string out;
    view.flush_updates(out, false, false);
    EXPECT_EQ(out, "* 4 EXISTS\r\n* 3 FETCH (UID 9 FLAGS (\\Seen))\r\n");
    EXPECT_EQ(view.exists(), 4U);
    EXPECT_EQ(view.modseq(), 13U);
    out.clear();
    view.flush_updates(out, true, true);
    EXPECT_EQ(out, "* 2 EXPUNGE\r\n");
    EXPECT_EQ(view.exists(), 3U);
    EXPECT_EQ(view.at(3).uid, 10U);
}

TEST(SelectedView, ReopenedForANewSelectLeavesNothingToReport) {
    auto view = view_of({3, 5, 9});
    const auto changes = others_changes();
    storage::MailboxInfo now;
    now.id = 7;
    now.name = "INBOX";
    now.uidvalidity = 99;
    now.uidnext = 12;  // UID 11 came and went
    now.highest_modseq = 14;
    ASSERT_TRUE(view.shows(now));
    view.reopen(now, changes, true);
    std::string out;
    view.flush_updates(out, true, true);
    EXPECT_EQ(out, "");
    EXPECT_EQ(view.exists(), 3U);
    EXPECT_EQ(view.at(2).uid, 9U);
    EXPECT_TRUE(view.at(2).has_flag("\\Seen"));
    EXPECT_EQ(view.at(3).uid, 10U);
    EXPECT_EQ(view.uidnext(), 12U);
    EXPECT_EQ(view.modseq(), 14U);
    EXPECT_TRUE(view.read_only());
    now.uidvalidity = 100;  // recreated under the same id: not this view's mailbox
    EXPECT_FALSE(view.shows(now));
}

TEST(SelectedView, OwnChangesAreNotReportedAgain) {
    auto view = view_of({3});
    view.apply_own(storage::MessageState{3, 11, {"\\Flagged"}});
    storage::MailboxChanges changes;
    changes.changed = {storage::MessageState{3, 11, {"\\Flagged"}}};
    view.apply(changes);
    std::string out;
    view.flush_updates(out, true, true);
    EXPECT_EQ(out, "");
}

TEST(SelectedView, ExpungesAreSentHighestFirst) {
    auto view = view_of({1, 2, 3, 4});
    view.mark_expunged({2, 4});
    std::string out;
    view.flush_updates(out, true, false);
    EXPECT_EQ(out, "* 4 EXPUNGE\r\n* 2 EXPUNGE\r\n");
}

TEST(SelectedView, MessagesShareOneCopyOfEachFlagList) {
    FlagSets sets;
    const auto seen = sets.intern({"\\Seen"});
    const auto none = sets.intern({});
    EXPECT_NE(seen, none);
    EXPECT_EQ(sets.intern({"\\Seen"}), seen);
    EXPECT_EQ(sets[seen], (std::vector<std::string>{"\\Seen"}));
    EXPECT_TRUE(sets[none].empty());
    EXPECT_EQ(sets.size(), 2U);

    auto view = view_of({1, 2, 3, 4});
    view.apply_own(storage::MessageState{2, 11, {"\\Seen"}});
    view.apply_own(storage::MessageState{4, 11, {"\\Seen"}});
    EXPECT_EQ(&view.at(2).flags, &view.at(4).flags);
    EXPECT_TRUE(view.at(4).has_flag("\\Seen"));
    EXPECT_FALSE(view.at(3).has_flag("\\Seen"));
}

TEST(SelectedView, FlagListsStayRightAndBoundedWhileAClientCyclesKeywords) {
    auto view = view_of({1, 2, 3});
    view.apply_own(storage::MessageState{1, 11, {"\\Seen"}});
    view.mark_expunged({3});
    for (std::uint64_t i = 0; i < 1000; ++i) {
        view.apply_own(storage::MessageState{2, 12 + i, {"k" + std::to_string(i)}});
    }
    EXPECT_LE(view.flag_set_count(), 2 * 3 + 17U);
    EXPECT_EQ(view.at(1).flags, (std::vector<std::string>{"\\Seen"}));
    EXPECT_EQ(view.at(2).flags, (std::vector<std::string>{"k999"}));
    EXPECT_EQ(view.at(2).modseq, 1011U);
    EXPECT_TRUE(view.at(3).expunged);
    EXPECT_FALSE(view.at(2).expunged);
}

}  // namespace
}  // namespace govmail::imap
