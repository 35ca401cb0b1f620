#include "imapd/proto/response.hpp"

#include "common/imap_string.hpp"
#include "imapd/proto/mutf7.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

std::string_view status_name(ReplyStatus status) {
    switch (status) {
        case ReplyStatus::Ok:
            return "OK";
        case ReplyStatus::No:
            return "NO";
        case ReplyStatus::Bad:
            return "BAD";
    }
    return "BAD";
}

bool can_be_atom(std::string_view value) {
    if (value.empty() || iequals(value, "NIL")) {
        return false;
    }
    for (const char c : value) {
        if (!is_astring_char(c)) {
            return false;
        }
    }
    return true;
}

// The status and response code a non-fatal error is answered with.
std::string_view error_prefix(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::TooBig:
            return "NO [TOOBIG] ";
        case ErrorKind::TooLong:
            return "BAD [TOOBIG] ";
        case ErrorKind::BadCharset:
            return "NO [BADCHARSET (UTF-8 US-ASCII)] ";
        case ErrorKind::Syntax:
        case ErrorKind::UnknownCommand:
        case ErrorKind::TooDeep:
        case ErrorKind::BadMailboxName:
            return "BAD ";
    }
    return "BAD ";
}

}  // namespace

std::string tagged_response(std::string_view tag, ReplyStatus status, std::string_view text) {
    std::string out;
    out.reserve(tag.size() + text.size() + 8);
    out.append(tag).append(" ").append(status_name(status)).append(" ").append(text).append("\r\n");
    return out;
}

std::string untagged_response(std::string_view text) {
    return std::string("* ").append(text).append("\r\n");
}

std::string continuation_response(std::string_view text) {
    return std::string("+ ").append(text).append("\r\n");
}

std::string error_response(const Error& error) {
    if (error.fatal) {
        return untagged_response("BYE " + error.text);
    }
    if (!error.tag) {
        return untagged_response("BAD " + error.text);
    }
    return std::string(*error.tag)
        .append(" ")
        .append(error_prefix(error.kind))
        .append(error.text)
        .append("\r\n");
}

std::string format_astring(std::string_view value) {
    return can_be_atom(value) ? std::string(value) : imap_string(value);
}

std::string format_flag_list(const std::vector<std::string>& flags) {
    std::string out = "(";
    for (const std::string& flag : flags) {
        if (out.size() > 1) {
            out += ' ';
        }
        out += flag;
    }
    out += ')';
    return out;
}

std::string format_mailbox_name(std::string_view utf8) {
    const auto encoded = mutf7_encode(utf8);
    return format_astring(encoded ? *encoded : utf8);
}

}  // namespace govmail::imap
