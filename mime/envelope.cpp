#include "mime/envelope.hpp"

#include <optional>

#include "common/imap_string.hpp"
#include "mime/address.hpp"

namespace govmail::mime {
namespace {

void append_field(std::string& out, const std::vector<HeaderField>& fields, std::string_view name) {
    append_imap_nstring(out, unfolded_value(fields, name));
}

// "(" 1*address ")" or NIL; empty when the header has no usable address.
std::string address_list(const std::vector<HeaderField>& fields, std::string_view name) {
    const std::optional<std::string_view> value = field_value(fields, name);
    if (!value) {
        return {};
    }
    const std::vector<EnvelopeAddress> addresses = parse_address_list(*value);
    if (addresses.empty()) {
        return {};
    }
    std::string out = "(";
    for (const EnvelopeAddress& address : addresses) {
        out += '(';
        append_imap_nstring(out, address.name);
        out += ' ';
        append_imap_nstring(out, address.route);
        out += ' ';
        append_imap_nstring(out, address.mailbox);
        out += ' ';
        append_imap_nstring(out, address.host);
        out += ')';
    }
    out += ')';
    return out;
}

void append_list(std::string& out, const std::string& list) {
    out += ' ';
    out += list.empty() ? "NIL" : list;
}

}  // namespace

std::string envelope(const std::vector<HeaderField>& fields) {
    std::string out = "(";
    append_field(out, fields, "Date");
    out += ' ';
    append_field(out, fields, "Subject");
    const std::string from = address_list(fields, "From");
    const std::string sender = address_list(fields, "Sender");
    const std::string reply_to = address_list(fields, "Reply-To");
    append_list(out, from);
    append_list(out, sender.empty() ? from : sender);
    append_list(out, reply_to.empty() ? from : reply_to);
    for (const std::string_view name : {"To", "Cc", "Bcc"}) {
        append_list(out, address_list(fields, name));
    }
    out += ' ';
    append_field(out, fields, "In-Reply-To");
    out += ' ';
    append_field(out, fields, "Message-ID");
    out += ')';
    return out;
}

}  // namespace govmail::mime
