// QRESYNC's pure parts (RFC 7162 3.2): VANISHED in place of EXPUNGE when the selected view
// reports removals, VANISHED (EARLIER) from the expunged-UID history or, once the history has
// forgotten part of it, from the UIDs absent from the view, and the changed messages a client
// must read again.

#include "imapd/cmd/qresync.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace govmail::imap {
namespace {

// A view of UIDS (modseq 5 each but those in NEWER, at 8), UIDNEXT 21.
SelectedView view_of(std::vector<storage::Uid> uids, std::vector<storage::Uid> newer = {}) {
    storage::MailboxInfo info;
    info.id = 7;
    info.name = "INBOX";
    info.uidvalidity = 99;
    info.uidnext = 21;
    info.highest_modseq = 10;
    std::vector<storage::MessageState> states;
    for (const auto uid : uids) {
        const bool is_newer = std::ranges::find(newer, uid) != newer.end();
        states.push_back(storage::MessageState{uid, is_newer ? 8U : 5U, {}});
    }
    return SelectedView(info, std::move(states), false);
}

std::optional<SequenceSet> set(std::string_view text) { return parse_sequence_set(text); }

storage::MailboxChanges expunged(std::vector<storage::Uid> uids, bool forgotten = false) {
    storage::MailboxChanges changes;
    changes.expunged = std::move(uids);
    changes.expunges_forgotten = forgotten;
    return changes;
}

TEST(Qresync, VanishedReplacesExpungeWithOneLineOfUids) {
    auto view = view_of({3, 4, 5, 9, 12});
    view.mark_expunged({4, 5, 12});
    std::string out;
    view.flush_updates(out, true, true, true);
    EXPECT_EQ(out, "* VANISHED 4:5,12\r\n");
    EXPECT_EQ(view.exists(), 2U);
    EXPECT_EQ(view.at(2).uid, 9U);
    out.clear();
    view.flush_updates(out, true, true, true);
    EXPECT_EQ(out, "") << "nothing twice, and no EXISTS: VANISHED lowered the count";
}

TEST(Qresync, VanishedWaitsLikeExpungeWhileNumbersMustNotShift) {
    auto view = view_of({3, 4});
    view.mark_expunged({4});
    std::string out;
    view.flush_updates(out, false, false, true);
    EXPECT_EQ(out, "");
    view.flush_updates(out, true, false, true);
    EXPECT_EQ(out, "* VANISHED 4\r\n");
}

TEST(Qresync, VanishedEarlierFromTheHistoryWithinTheKnownUids) {
    const auto view = view_of({3, 9, 12});
    EXPECT_EQ(vanished_earlier(view, expunged({1, 2, 5, 14}), std::nullopt), "1:2,5,14");
    EXPECT_EQ(vanished_earlier(view, expunged({1, 2, 5, 14}), set("2:5")), "2,5");
    EXPECT_EQ(vanished_earlier(view, expunged({1, 2, 5, 14}), set("10:*")), "14");
    EXPECT_EQ(vanished_earlier(view, expunged({}), std::nullopt), "");
    EXPECT_EQ(vanished_earlier(view, expunged({9}), std::nullopt), "")
        << "a UID the view still holds (expunged after the view was read) is reported later";
}

TEST(Qresync, ForgottenHistoryReportsEveryKnownUidNotHeld) {
    auto view = view_of({3, 9, 12});
    EXPECT_EQ(vanished_earlier(view, expunged({}, true), std::nullopt), "1:2,4:8,10:11,13:20");
    EXPECT_EQ(vanished_earlier(view, expunged({}, true), set("3:9,12,15")), "4:8,15");
    EXPECT_EQ(
        vanished_earlier(view, expunged({}, true), set("1:4294967295")), "1:2,4:8,10:11,13:20"
    ) << "clipped at UIDNEXT, counted by ranges";
    view.mark_expunged({9});
    EXPECT_EQ(vanished_earlier(view, expunged({}, true), set("5:12")), "5:11");
}

TEST(Qresync, ChangedMessagesOfTheKnownUids) {
    const auto view = view_of({3, 9, 12}, {9, 12});
    EXPECT_EQ(changed_since(view, 5, std::nullopt), (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(changed_since(view, 5, set("1:10")), (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(changed_since(view, 8, std::nullopt), (std::vector<std::uint32_t>{}));
    EXPECT_EQ(changed_since(view, 0, std::nullopt), (std::vector<std::uint32_t>{1, 2, 3}));
    EXPECT_EQ(view.flags_update(2, true), "2 FETCH (UID 9 FLAGS () MODSEQ (8))");
}

}  // namespace
}  // namespace govmail::imap
