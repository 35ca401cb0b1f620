// libFuzzer target for what SORT and THREAD compute from untrusted headers: base subjects
// (mime/base_subject.hpp), address sort keys and both THREAD algorithms (imapd/cmd/threading.hpp).
// The input is messages, one a line, fields separated by '|': subject|message-id|references|from.
// Invariants:
// - a base subject is never longer than its subject, and folding is idempotent;
// - every message appears exactly once in each thread-list, and its parentheses balance.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/cmd/threading.hpp"
#include "mime/address_sort_keys.hpp"
#include "mime/base_subject.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::imap {
namespace {

using fuzz::check;

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        pieces.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) {
            return pieces;
        }
        start = end + 1;
    }
}

// Each number 1..COUNT once, parentheses balanced and never below zero.
void check_thread_list(const std::string& list, std::size_t count) {
    std::vector<int> seen(count + 1, 0);
    int depth = 0;
    std::size_t i = 0;
    while (i < list.size()) {
        const char c = list[i];
        if (c == '(' || c == ')') {
            depth += c == '(' ? 1 : -1;
            check(depth >= 0, "parentheses balance");
            ++i;
        } else if (c == ' ') {
            ++i;
        } else {
            std::size_t number = 0;
            while (i < list.size() && list[i] >= '0' && list[i] <= '9') {
                number = number * 10 + static_cast<std::size_t>(list[i] - '0');
                ++i;
            }
            check(number >= 1 && number <= count, "a known message number");
            ++seen[number];
        }
    }
    check(depth == 0, "parentheses close");
    for (std::size_t n = 1; n <= count; ++n) {
        check(seen[n] == 1, "every message once");
    }
}

}  // namespace
}  // namespace govmail::imap

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail;
    const std::string_view input = fuzz::as_text(data, size);
    std::vector<imap::ThreadMessage> messages;
    for (const auto line : imap::split(input, '\n')) {
        const auto fields = imap::split(line, '|');
        const auto field = [&](std::size_t i) {
            return i < fields.size() ? std::string(fields[i]) : std::string();
        };
        const auto base = mime::base_subject(field(0));
        fuzz::check(base.text.size() <= fields[0].size(), "base subject no longer");
        fuzz::check(mime::casemap_fold(base.text) == base.text, "folding idempotent");
        (void)mime::mailbox_sort_key(field(3));
        (void)mime::display_sort_key(field(3));
        const auto number = static_cast<std::uint32_t>(messages.size() + 1);
        messages.push_back(imap::ThreadMessage{
            number,
            static_cast<std::int64_t>(line.size() % 7),
            base.text,
            base.reply,
            field(1),
            {},
            field(2),
        });
    }
    imap::check_thread_list(imap::thread_ordered_subject(messages), messages.size());
    imap::check_thread_list(imap::thread_references(messages), messages.size());
    return 0;
}
