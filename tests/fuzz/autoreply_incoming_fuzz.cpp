// libFuzzer target for what an away reply takes from incoming mail: autoreply::read_incoming
// (Message-ID, References, In-Reply-To, Subject, the addressed list) and compose_reply, which
// copies some of it into the reply's header. The input's first line is the client's MAIL FROM
// command (read by the SMTP parser, as the session does); the rest is the message.
// Invariants:
// - the Message-ID and every reference kept are well-formed msg-ids: "<", an "@", printable
//   ASCII without white space or angle brackets, ">", at most 250 bytes;
// - the addressed list is lower case;
// - the reply's header holds exactly its own fields, in order (nothing injected from the
//   input), every line ends with CRLF and is at most 998 bytes, and no control character
//   other than the folding white space is in it;
// - In-Reply-To is the message's Message-ID and To the envelope sender.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mime/header.hpp"
#include "mime/parse.hpp"
#include "smtpd/lib/autoreply.hpp"
#include "smtpd/proto/command_parser.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::smtpd::autoreply {
namespace {

using fuzz::check;

constexpr std::size_t kMaxLine = 998;

// The envelope sender of a "MAIL FROM:<...>" line; "" for anything else (the null sender,
// which gets no reply).
std::string envelope_sender(std::string_view line) {
    const auto parsed = smtp::parse_command(line);
    const auto* command = std::get_if<smtp::Command>(&parsed);
    const auto* mail = command ? std::get_if<smtp::MailFrom>(command) : nullptr;
    return mail && mail->sender ? mail->sender->to_string() : "";
}

storage::AutoReplySetting away_setting() {
    storage::AutoReplySetting setting;
    setting.account = 7;
    setting.address = "away@example.go.kr";
    setting.display_name = "홍길동";
    setting.enabled = true;
    setting.body = "I am away until Monday.";  // the subject stays empty: "Auto: " + theirs
    return setting;
}

ReplyContext reply_context() {
    ReplyContext context;
    context.today = "2026-03-10";
    context.hostname = "mail.example.go.kr";
    context.now = 1'773'100'800;
    context.unique = "0123456789ABCDEF.7";
    return context;
}

void check_incoming(const Incoming& in) {
    check(in.message_id.empty() || autoreply::is_msg_id(in.message_id), "a well-formed Message-ID");
    for (const auto& id : in.references) {
        check(autoreply::is_msg_id(id), "well-formed references");
    }
    for (const auto& address : in.addressed) {
        check(
            std::none_of(
                address.begin(), address.end(), [](char c) { return c >= 'A' && c <= 'Z'; }
            ),
            "the addressed list is lower case"
        );
    }
}

void check_header_lines(std::string_view header) {
    std::size_t start = 0;
    while (start < header.size()) {
        const auto end = header.find("\r\n", start);
        check(end != std::string_view::npos, "every header line ends with CRLF");
        const auto line = header.substr(start, end - start);
        check(line.size() <= kMaxLine, "header lines of at most 998 bytes");
        check(
            std::none_of(
                line.begin(), line.end(),
                [](char c) {
                    const auto u = static_cast<unsigned char>(c);
                    return (u < 0x20 && c != '\t') || u == 0x7f;
                }
            ),
            "no control characters in the header"
        );
        start = end + 2;
    }
}

void check_reply(const Incoming& in, const std::string& reply) {
    const auto scan = mime::scan_header(reply);
    std::vector<std::string> want{"From", "To", "Subject", "Date", "Message-ID"};
    if (!in.message_id.empty()) {
        want.insert(want.end(), {"In-Reply-To", "References"});
    }
    want.insert(
        want.end(), {"Auto-Submitted", "X-Auto-Response-Suppress", "MIME-Version", "Content-Type",
                     "Content-Transfer-Encoding"}
    );
    std::vector<std::string> names;
    for (const auto& field : scan.fields) {
        names.emplace_back(field.name);
    }
    check(names == want, "the reply's header holds exactly its own fields");
    check(
        scan.body_begin >= 4 &&
            std::string_view(reply).substr(scan.body_begin - 4, 4) == "\r\n\r\n",
        "the header ends with an empty line"
    );
    check_header_lines(std::string_view(reply).substr(0, scan.body_begin - 2));
    check(mime::unfold(*mime::field_value(scan.fields, "To")) == "<" + in.sender + ">", "To");
    if (!in.message_id.empty()) {
        check(
            mime::unfold(*mime::field_value(scan.fields, "In-Reply-To")) == in.message_id,
            "In-Reply-To is the Message-ID"
        );
    }
}

}  // namespace
}  // namespace govmail::smtpd::autoreply

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtpd::autoreply;
    using govmail::fuzz::check;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    const std::string_view command = input.substr(0, newline);
    const std::string_view raw =
        newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    const std::string sender =
        envelope_sender(command.ends_with('\r') ? command.substr(0, command.size() - 1) : command);

    const auto parsed = govmail::mime::parse(raw);
    const Incoming incoming = read_incoming(sender, raw, parsed);
    check_incoming(incoming);
    const auto setting = away_setting();
    const auto context = reply_context();
    if (!reply_exclusion(incoming, setting, context)) {
        check_reply(incoming, compose_reply(incoming, setting, context));
    }
    return 0;
}
