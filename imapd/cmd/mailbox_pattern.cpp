#include "imapd/cmd/mailbox_pattern.hpp"

#include <vector>

#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

std::string list_pattern(std::string_view reference, std::string_view mailbox) {
    std::string pattern = std::string(reference) + std::string(mailbox);
    constexpr std::string_view kInbox = "INBOX";
    if (pattern.size() >= kInbox.size() && iequals(pattern.substr(0, kInbox.size()), kInbox) &&
        (pattern.size() == kInbox.size() || pattern[kInbox.size()] == kDelimiter)) {
        pattern.replace(0, kInbox.size(), kInbox);
    }
    return pattern;
}

bool matches_pattern(std::string_view name, std::string_view pattern) {
    // matched[i]: pattern so far matches name[0, i). One row per pattern byte, O(n * m).
    std::vector<bool> matched(name.size() + 1, false);
    matched[0] = true;
    for (const char p : pattern) {
        std::vector<bool> next(name.size() + 1, false);
        for (std::size_t i = 0; i <= name.size(); ++i) {
            if (p == '*' || p == '%') {
                const bool extend = i > 0 && next[i - 1] && (p == '*' || name[i - 1] != kDelimiter);
                next[i] = matched[i] || extend;
            } else {
                next[i] = i > 0 && matched[i - 1] && name[i - 1] == p;
            }
        }
        matched = std::move(next);
    }
    return matched[name.size()];
}

std::string normalized_new_name(std::string_view name) {
    if (!name.empty() && name.back() == kDelimiter) {
        name.remove_suffix(1);
    }
    if (name.empty() || name.front() == kDelimiter || name.find("//") != std::string_view::npos ||
        name.find_first_of("%*") != std::string_view::npos) {
        return {};
    }
    return std::string(name);
}

}  // namespace govmail::imap
