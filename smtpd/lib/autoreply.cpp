#include "smtpd/lib/autoreply.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include "common/base64.hpp"
#include "common/utf8.hpp"
#include "mime/address.hpp"
#include "mime/ascii.hpp"
#include "mime/header.hpp"
#include "smtpd/lib/trace_headers.hpp"
#include "smtpd/proto/ascii.hpp"

namespace govmail::smtpd::autoreply {
namespace {

constexpr std::size_t kMaxSubjectBytes = 250;  // of text, before encoding
constexpr std::size_t kMaxMsgIdBytes = 250;    // a longer "msg-id" is not used
constexpr std::size_t kMaxReferences = 10;     // the first and the last nine
constexpr std::size_t kEncodedWordBytes = 45;  // 60 base64 characters, 75 per word
constexpr std::size_t kMaxSevenBitLine = 998;  // RFC 5322 2.1.1
constexpr std::size_t kMaxHeaderValues = 20;   // of each kind of field we look at

bool has_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

std::string_view local_part_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? address : address.substr(0, at);
}

// The first word of a structured field value such as "auto-replied; owner=..." or
// "no (comment)", lower-cased.
std::string first_token(std::string_view value) {
    value = mime::trim(value);
    const auto end = value.find_first_of(" \t;(");
    return mime::lower(value.substr(0, end));
}

// RFC 3834 2 and RFC 5230 4.6: senders that are programs or lists; and the role addresses
// postmaster and abuse (RFC 2142), which take the server's own notices: answering them could
// start a loop (BSD vacation(1) skips postmaster too).
bool is_system_sender(std::string_view sender) {
    const auto local = local_part_of(sender);
    using smtp::ascii::iequals;
    using smtp::ascii::istarts_with;
    return iequals(local, "mailer-daemon") || iequals(local, "postmaster") ||
           iequals(local, "abuse") || iequals(local, "listserv") || iequals(local, "majordomo") ||
           istarts_with(local, "owner-") ||
           (local.size() >= 8 && iequals(local.substr(local.size() - 8), "-request"));
}

// The well-formed msg-ids in VALUE ("<a@b> <c@d>", comments and junk skipped).
std::vector<std::string> msg_ids(std::string_view value) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = value.find('<', pos)) != std::string_view::npos) {
        const auto end = value.find('>', pos);
        if (end == std::string_view::npos) {
            break;
        }
        const auto id = value.substr(pos, end - pos + 1);
        if (is_msg_id(id)) {
            out.emplace_back(id);
        }
        pos = end + 1;
    }
    return out;
}

// At most MAX bytes of TEXT, cut on a UTF-8 character boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return text;
    }
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return text.substr(0, cut);
}

// Header text from anywhere: control characters become spaces, runs of white space one
// space, ends trimmed, at most kMaxSubjectBytes; bytes that are not UTF-8 become '?'.
std::string clean_text(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool space = u < 0x20 || u == 0x7f || c == ' ';
        if (space) {
            if (!out.empty() && out.back() != ' ') {
                out.push_back(' ');
            }
        } else {
            out.push_back(c);
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    if (!is_valid_utf8(out)) {
        std::replace_if(
            out.begin(), out.end(), [](char c) { return smtp::ascii::is_non_ascii(c); }, '?'
        );
    }
    return std::string(utf8_prefix(out, kMaxSubjectBytes));
}

// RFC 2047 B encoded-words of at most 75 characters, split between UTF-8 characters and
// joined by folding white space (which a reader drops between encoded-words).
std::string encoded_words(std::string_view utf8) {
    std::string out;
    while (!utf8.empty()) {
        const auto chunk = utf8_prefix(utf8, kEncodedWordBytes);
        if (!out.empty()) {
            out += "\r\n ";
        }
        out += "=?UTF-8?B?" + encode_base64(chunk) + "?=";
        utf8.remove_prefix(chunk.size());
    }
    return out;
}

// Unstructured header text (Subject): as is when ASCII, else encoded-words.
std::string unstructured(std::string_view text) {
    return is_ascii(text) ? std::string(text) : encoded_words(text);
}

// A display name as an RFC 5322 phrase: a quoted-string, or encoded-words.
std::string phrase(std::string_view name) {
    if (!is_ascii(name)) {
        return encoded_words(name);
    }
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out + "\"";
}

std::string crlf_lines(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out.push_back(c);
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) {
        out += "\r\n";
    }
    return out;
}

bool fits_seven_bit(std::string_view text) {
    if (!is_ascii(text)) {
        return false;
    }
    std::size_t line = 0;
    for (const char c : text) {
        if (c == '\n') {
            line = 0;
        } else if (++line > kMaxSevenBitLine) {
            return false;
        }
    }
    return true;
}

std::string reply_subject(const Incoming& message, const storage::AutoReplySetting& setting) {
    auto subject = clean_text(setting.subject);
    if (subject.empty()) {  // RFC 5230 5.2, RFC 3834 3.1.5
        subject = clean_text("Auto: " + message.subject);
    }
    return subject;
}

std::string references_field(const Incoming& message) {
    std::vector<std::string> ids = message.references;
    if (ids.size() >= kMaxReferences) {  // keep the thread's root and the latest
        ids.erase(ids.begin() + 1, ids.end() - static_cast<std::ptrdiff_t>(kMaxReferences - 2));
    }
    ids.push_back(message.message_id);
    std::string out = "References:";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out += (i == 0 ? " " : "\r\n ") + ids[i];
    }
    return out + "\r\n";
}

}  // namespace

bool is_msg_id(std::string_view id) {
    if (id.size() < 3 || id.size() > kMaxMsgIdBytes || id.front() != '<' || id.back() != '>') {
        return false;
    }
    const auto inner = id.substr(1, id.size() - 2);
    return inner.find('@') != std::string_view::npos &&
           std::all_of(inner.begin(), inner.end(), [](char c) {
               const auto u = static_cast<unsigned char>(c);
               return u > 0x20 && u < 0x7f && c != '<' && c != '>';
           });
}

std::string header_text(std::string_view text) { return unstructured(clean_text(text)); }

std::string_view to_string(NoReply reason) {
    static constexpr std::array<std::string_view, 12> kNames{
        "null sender", "invalid sender",       "system sender", "auto-submitted",
        "list mail",   "suppressed",           "disabled",      "not started",
        "ended",       "outside organisation", "own message",   "not addressed to the account",
    };
    return kNames.at(static_cast<std::size_t>(reason));
}

Incoming read_incoming(
    std::string_view sender, std::string_view raw, const mime::ParsedMessage& parsed
) {
    Incoming in;
    in.sender = sender;
    in.subject = parsed.subject;
    const auto ids = msg_ids(parsed.message_id);
    if (ids.size() == 1) {
        in.message_id = ids.front();
    }
    in.references = msg_ids(parsed.references);
    if (in.references.empty()) {  // RFC 5322 3.6.4: else the parent's In-Reply-To
        in.references = msg_ids(parsed.in_reply_to);
        if (in.references.size() > 1) {
            in.references.clear();
        }
    }
    const auto scan = mime::scan_header(raw);
    for (const auto& field : scan.fields) {
        using smtp::ascii::iequals;
        auto keep = [&](std::vector<std::string>& values) {
            if (values.size() < kMaxHeaderValues) {
                values.push_back(mime::unfold(field.value));
            }
        };
        if (iequals(field.name, "Auto-Submitted")) {
            keep(in.auto_submitted);
        } else if (iequals(field.name, "Precedence")) {
            keep(in.precedence);
        } else if (iequals(field.name, "X-Auto-Response-Suppress")) {
            keep(in.suppress);
        } else if (smtp::ascii::istarts_with(field.name, "List-")) {
            in.list_fields = true;
        } else if (iequals(field.name, "To") || iequals(field.name, "Cc") ||
                   iequals(field.name, "Resent-To") || iequals(field.name, "Resent-Cc")) {
            for (const auto& a : mime::parse_address_list(mime::unfold(field.value))) {
                if (a.mailbox && a.host) {
                    in.addressed.push_back(mime::lower(*a.mailbox + "@" + *a.host));
                }
            }
        }
    }
    return in;
}

std::optional<NoReply> message_exclusion(const Incoming& message) {
    if (message.sender.empty()) {
        return NoReply::NullSender;
    }
    if (has_control(message.sender) || message.sender.find('@') == std::string::npos) {
        return NoReply::InvalidSender;
    }
    if (is_system_sender(message.sender)) {
        return NoReply::SystemSender;
    }
    for (const auto& value : message.auto_submitted) {
        if (first_token(value) != "no") {  // RFC 3834 5: only "no" allows a reply
            return NoReply::AutoSubmitted;
        }
    }
    if (message.list_fields) {
        return NoReply::ListMail;
    }
    for (const auto& value : message.precedence) {
        const auto token = first_token(value);
        if (token == "bulk" || token == "list" || token == "junk") {
            return NoReply::ListMail;
        }
    }
    for (const auto& value : message.suppress) {  // Microsoft's, e.g. "DR, OOF, AutoReply"
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const auto token = mime::lower(mime::trim(rest.substr(0, comma)));
            if (token == "all" || token == "oof") {
                return NoReply::Suppressed;
            }
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        }
    }
    return std::nullopt;
}

std::optional<NoReply> reply_exclusion(
    const Incoming& message, const storage::AutoReplySetting& setting, const ReplyContext& context
) {
    if (auto excluded = message_exclusion(message)) {
        return excluded;
    }
    if (!setting.enabled) {
        return NoReply::Disabled;
    }
    if (setting.starts_on && context.today < *setting.starts_on) {
        return NoReply::NotStarted;
    }
    if (setting.ends_on && context.today > *setting.ends_on) {
        return NoReply::Ended;
    }
    if (setting.scope == storage::AutoReplyScope::Organisation && !context.sender_in_organisation) {
        return NoReply::OutsideOrganisation;
    }
    const auto account = mime::lower(setting.address);
    if (mime::lower(message.sender) == account) {
        return NoReply::OwnMessage;
    }
    if (std::find(message.addressed.begin(), message.addressed.end(), account) ==
        message.addressed.end()) {
        return NoReply::NotAddressed;
    }
    return std::nullopt;
}

std::string compose_reply(
    const Incoming& message, const storage::AutoReplySetting& setting, const ReplyContext& context
) {
    const auto name = clean_text(setting.display_name);
    std::string out = "From: ";
    if (!name.empty()) {
        out += phrase(name) + " ";
    }
    out += "<" + setting.address + ">\r\n";
    out += "To: <" + message.sender + ">\r\n";
    out += "Subject: " + unstructured(reply_subject(message, setting)) + "\r\n";
    out += "Date: " + rfc5322_date(context.now) + "\r\n";
    out += "Message-ID: <" + context.unique + "@" + context.hostname + ">\r\n";
    if (!message.message_id.empty()) {
        out += "In-Reply-To: " + message.message_id + "\r\n";
        out += references_field(message);
    }
    out += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 5.2
    out += "X-Auto-Response-Suppress: All\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    const auto body = crlf_lines(setting.body);
    if (fits_seven_bit(body)) {
        out += "Content-Transfer-Encoding: 7bit\r\n\r\n" + body;
    } else {
        out += "Content-Transfer-Encoding: base64\r\n\r\n" + encode_base64_lines(body);
    }
    return out;
}

std::string local_date(std::int64_t unix_time) {
    const auto t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char out[16];
    const auto length = std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
    return std::string(out, length);
}

}  // namespace govmail::smtpd::autoreply
