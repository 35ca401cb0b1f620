// libFuzzer target for the SMTP command path as the session runs it: LineReader cuts the
// client's bytes into lines, parse_command() turns each line into a Command.
// Invariants: the reader returns the same lines and errors whatever the sizes of the reads;
// a parsed MAIL FROM or RCPT TO path, written back as "<mailbox>", parses to the same mailbox.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpd/proto/command_parser.hpp"
#include "smtpd/proto/line_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::smtp {
namespace {

using Event = std::variant<std::string, Error>;

// Every line or error the reader returns for `input`, read in pieces of `sizes.next()` bytes.
template <class NextSize>
std::vector<Event> read_lines(
    std::string_view input, std::size_t limit, BareLineEnd bare_lf, NextSize&& next_size
) {
    LineReader reader(limit, bare_lf);
    std::vector<Event> events;
    while (!input.empty()) {
        std::string_view piece = input.substr(0, next_size());
        input.remove_prefix(piece.size());
        while (!piece.empty()) {
            const LineResult result = reader.read(piece);
            if (const auto* line = std::get_if<Line>(&result)) {
                events.emplace_back(std::string(line->text));
            } else if (const auto* error = std::get_if<Error>(&result)) {
                events.emplace_back(*error);
            }
        }
    }
    return events;
}

void check_path_round_trip(const Command& command, const CommandContext& context) {
    if (const auto* mail = std::get_if<MailFrom>(&command); mail != nullptr && mail->sender) {
        const std::string again = "MAIL FROM:<" + mail->sender->to_string() + ">" +
                                  (mail->params.smtputf8 ? " SMTPUTF8" : "");
        const auto reparsed = parse_command(again, context);
        fuzz::check(std::holds_alternative<Command>(reparsed), "MAIL FROM path parses again");
        const auto* mail_again = std::get_if<MailFrom>(&std::get<Command>(reparsed));
        fuzz::check(
            mail_again != nullptr && mail_again->sender == mail->sender,
            "MAIL FROM path round-trips"
        );
    }
    if (const auto* rcpt = std::get_if<RcptTo>(&command)) {
        const std::string again = "RCPT TO:<" + rcpt->recipient.to_string() + ">";
        const auto reparsed = parse_command(again, context);
        fuzz::check(std::holds_alternative<Command>(reparsed), "RCPT TO path parses again");
        const auto* rcpt_again = std::get_if<RcptTo>(&std::get<Command>(reparsed));
        fuzz::check(
            rcpt_again != nullptr && rcpt_again->recipient == rcpt->recipient,
            "RCPT TO path round-trips"
        );
    }
}

}  // namespace
}  // namespace govmail::smtp

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtp;
    const std::string_view input = govmail::fuzz::as_text(data, size);

    const auto whole =
        read_lines(input, kMaxCommandLine, BareLineEnd::Normalize, [&] { return input.size(); });
    govmail::fuzz::ReadSizes sizes(input);
    const auto pieces =
        read_lines(input, kMaxCommandLine, BareLineEnd::Normalize, [&] { return sizes.next(); });
    govmail::fuzz::check(whole == pieces, "LineReader is independent of read sizes");
    // Submission sessions read with the AUTH line limit; a strict peer setting refuses bare LF.
    const auto strict = read_lines(input, kMaxAuthLine, BareLineEnd::Reject, [] { return 1; });

    for (const auto* events : {&whole, &strict}) {
        for (const Event& event : *events) {
            const auto* line = std::get_if<std::string>(&event);
            if (line == nullptr) {
                continue;
            }
            for (const bool smtputf8 : {false, true}) {
                const CommandContext context{smtputf8};
                const auto parsed = parse_command(*line, context);
                if (const auto* command = std::get_if<Command>(&parsed)) {
                    check_path_round_trip(*command, context);
                }
            }
        }
    }
    return 0;
}
