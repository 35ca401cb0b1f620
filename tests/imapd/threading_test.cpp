// THREAD ORDEREDSUBJECT and REFERENCES (RFC 5256 section 3) over prepared messages: linking by
// References and In-Reply-To, dummies, loops, subject gathering, date order, and the bounds.

#include "imapd/cmd/threading.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "mime/base_subject.hpp"

namespace govmail::imap {
namespace {

ThreadMessage message(
    std::uint32_t number,
    std::int64_t date,
    std::string_view subject,
    std::string id,
    std::string references = "",
    std::string in_reply_to = ""
) {
    auto base = mime::base_subject(subject);
    return ThreadMessage{
        number,
        date,
        std::move(base.text),
        base.reply,
        id.empty() ? "" : "<" + id + ">",
        std::move(in_reply_to),
        std::move(references),
    };
}

TEST(Threading, MessageIds) {
    EXPECT_EQ(
        message_ids(" <a@x> <b@y>\t<c@z>"), (std::vector<std::string_view>{"a@x", "b@y", "c@z"})
    );
    EXPECT_EQ(message_ids("<> <a@x"), std::vector<std::string_view>{});
    EXPECT_EQ(message_ids("garbage <<a@x>"), (std::vector<std::string_view>{"a@x"}));
}

TEST(Threading, OrderedSubject) {
    const std::vector<ThreadMessage> messages = {
        message(1, 100, "예산 검토", "1"),       message(2, 200, "lunch", "2"),
        message(3, 300, "회신: 예산 검토", "3"), message(4, 400, "Re: lunch", "4"),
        message(5, 150, "전달: 예산 검토", "5"), message(6, 50, "other", "6"),
    };
    EXPECT_EQ(thread_ordered_subject(messages), "(6)(1 (5)(3))(2 4)");
    EXPECT_EQ(thread_ordered_subject({}), "");
}

TEST(Threading, ReferencesChainsAndBranches) {
    const std::vector<ThreadMessage> messages = {
        message(1, 100, "plan", "a"),
        message(2, 200, "Re: plan", "b", "<a>"),
        message(3, 300, "Re: plan", "c", "<a> <b>"),
        message(4, 250, "Re: plan", "d", "", "<a>"),  // In-Reply-To only
        message(5, 50, "unrelated", "e"),
    };
    EXPECT_EQ(thread_references(messages), "(5)(1 (2 3)(4))");
}

TEST(Threading, ReferencesDummiesAndSubjects) {
    // 1 and 2 reply to a message that is not there: a dummy root with two children. 3 shares
    // the base subject of 4 with no references: the non-reply 4 becomes the parent of 3.
    const std::vector<ThreadMessage> messages = {
        message(1, 100, "Re: gone", "m1", "<missing>"),
        message(2, 200, "Re: gone", "m2", "<missing>"),
        message(3, 300, "회신: 회의", "m3"),
        message(4, 250, "회의", "m4"),
        message(5, 400, "Re: lone", "m5", "<missing2>"),
    };
    EXPECT_EQ(thread_references(messages), "((1)(2))(4 3)(5)");
}

TEST(Threading, ReferencesSameSubjectNoReplies) {
    const std::vector<ThreadMessage> messages = {
        message(1, 100, "status", "x1"),
        message(2, 200, "status", "x2"),
    };
    EXPECT_EQ(thread_references(messages), "((1)(2))");
}

TEST(Threading, DuplicateIdsAndLoops) {
    const std::vector<ThreadMessage> messages = {
        message(1, 100, "a", "same"),
        message(2, 200, "b", "same", "<same>"),  // repeated id: a node of its own, child of 1
        message(3, 300, "c", "p", "<q>"),
        message(4, 400, "d", "q", "<p>"),  // 3 is already its child: no loop, 4 stays the root
        message(5, 500, "e", "", "<self> <self>"),
    };
    EXPECT_EQ(thread_references(messages), "(1 2)(4 3)(5)");
}

TEST(Threading, LongChainNeitherRecursesNorExceedsDepth) {
    std::vector<ThreadMessage> messages;
    const std::size_t count = kMaxThreadDepth + 500;
    for (std::size_t i = 0; i < count; ++i) {
        const auto number = static_cast<std::uint32_t>(i + 1);
        messages.push_back(message(
            number, static_cast<std::int64_t>(i), "x", std::to_string(i),
            i == 0 ? "" : "<" + std::to_string(i - 1) + ">"
        ));
    }
    const auto threads = thread_references(messages);
    // The chain breaks past kMaxThreadDepth; the rest joins by subject under a dummy.
    EXPECT_TRUE(threads.starts_with("((1 2 3 ")) << threads.substr(0, 40);
    EXPECT_EQ(std::count(threads.begin(), threads.end(), '('), 3);
}

}  // namespace
}  // namespace govmail::imap
