#include "imapd/proto/mailbox_name.hpp"

#include <algorithm>

#include "common/names.hpp"
#include "common/utf8.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

constexpr std::string_view kInbox = "INBOX";

bool has_empty_level(std::string_view name) {
    return name.front() == kDelimiter || name.back() == kDelimiter ||
           name.find("//") != std::string_view::npos;
}

}  // namespace

CanonicalName canonical_mailbox_name(std::string_view utf8, const MailboxNameLimits& limits) {
    if (utf8.empty()) {
        return MailboxNameFault::Empty;
    }
    if (!is_valid_utf8(utf8)) {
        return MailboxNameFault::BadUtf8;
    }
    if (has_control_characters(utf8)) {
        return MailboxNameFault::Control;
    }
    if (has_empty_level(utf8)) {
        return MailboxNameFault::EmptyLevel;
    }
    if (utf8.find_first_of("%*") != std::string_view::npos) {
        return MailboxNameFault::Wildcard;
    }
    if (utf8.size() > limits.max_bytes) {
        return MailboxNameFault::TooLong;
    }
    const auto levels = static_cast<std::size_t>(std::ranges::count(utf8, kDelimiter)) + 1;
    if (levels > limits.max_levels) {
        return MailboxNameFault::TooDeep;
    }
    std::string name(utf8);
    const auto first_level = std::string_view(name).substr(0, name.find(kDelimiter));
    if (iequals(first_level, kInbox)) {
        name.replace(0, kInbox.size(), kInbox);
    }
    return name;
}

std::string_view describe(MailboxNameFault fault) {
    switch (fault) {
        case MailboxNameFault::Empty:
            return "Empty mailbox name";
        case MailboxNameFault::EmptyLevel:
            return "Mailbox name has an empty hierarchy level";
        case MailboxNameFault::Control:
            return "Mailbox name holds a control character";
        case MailboxNameFault::Wildcard:
            return "Mailbox name holds a wildcard";
        case MailboxNameFault::BadUtf8:
            return "Mailbox name is not valid UTF-8";
        case MailboxNameFault::TooLong:
            return "Mailbox name too long";
        case MailboxNameFault::TooDeep:
            return "Mailbox name has too many hierarchy levels";
    }
    return "Invalid mailbox name";
}

}  // namespace govmail::imap
