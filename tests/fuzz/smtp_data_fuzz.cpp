// libFuzzer target for the DATA phase (DataReader), the SMTP smuggling boundary.
// Invariants:
// - all at once, one byte at a time and in reads of 1 to 16 bytes, the reader ends at the same
//   place with the same result and, for an accepted message, the same stored message;
// - once finished, read() consumes nothing and repeats its result;
// - the stored size is what DataEnd reports and never passes max_message_size;
// - with BareLineEnd::Normalize the stored message has no bare CR or LF, and dot-stuffing it
//   again and appending the terminator reads back as the same message (what the outbound queue
//   sends is what was received).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/data_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::smtp {
namespace {

using fuzz::check;

struct Outcome {
    DataResult result;
    std::string message;
    std::size_t consumed = 0;  // of the input, terminator included
};

template <class NextSize>
Outcome read_message(std::string_view input, const DataOptions& options, NextSize&& next_size) {
    DataReader reader(options);
    Outcome out;
    std::string_view rest = input;
    while (!rest.empty()) {
        std::string_view piece = rest.substr(0, next_size());
        const std::size_t piece_size = piece.size();
        out.result = reader.read(piece, out.message);
        out.consumed += piece_size - piece.size();
        rest.remove_prefix(piece_size - piece.size());
        if (!std::holds_alternative<NeedMore>(out.result)) {
            break;
        }
        check(piece.empty(), "NeedMore consumes the whole read");
    }
    if (!std::holds_alternative<NeedMore>(out.result)) {
        std::string_view more = rest;
        const std::string before = out.message;
        const DataResult again = reader.read(more, out.message);
        check(again == out.result, "a finished reader repeats its result");
        check(
            more.size() == rest.size() && out.message == before, "a finished reader reads nothing"
        );
    }
    return out;
}

bool has_bare_line_end(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
            return true;
        }
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
            return true;
        }
    }
    return false;
}

// RFC 5321 section 4.5.2 transparency plus the terminator, for a message with CRLF line ends.
std::string stuff(std::string_view message) {
    std::string out;
    bool line_start = true;
    for (const char c : message) {
        if (line_start && c == '.') {
            out += '.';
        }
        out += c;
        line_start = c == '\n';
    }
    if (!message.empty() && !message.ends_with("\r\n")) {
        out += "\r\n";
    }
    out += ".\r\n";
    return out;
}

void check_options(std::string_view input, const DataOptions& options) {
    const Outcome whole = read_message(input, options, [&] { return input.size(); });
    const Outcome bytes = read_message(input, options, [] { return std::size_t{1}; });
    fuzz::ReadSizes sizes(input);
    const Outcome pieces = read_message(input, options, [&] { return sizes.next(); });
    // The same result at the same place; the stored message too unless the message failed
    // (the session then discards what was stored).
    const auto same = [](const Outcome& a, const Outcome& b) {
        return a.result == b.result && a.consumed == b.consumed &&
               (!std::holds_alternative<DataEnd>(a.result) || a.message == b.message);
    };
    check(same(whole, bytes), "DataReader: all at once equals byte at a time");
    check(same(whole, pieces), "DataReader: all at once equals reads of 1-16 bytes");

    check(whole.message.size() <= options.max_message_size, "stored size within the limit");
    const auto* end = std::get_if<DataEnd>(&whole.result);
    if (end == nullptr) {
        return;
    }
    check(end->size == whole.message.size(), "DataEnd.size is the stored size");
    check(
        whole.consumed >= 3 && input.substr(whole.consumed - 3, 3) == ".\r\n" &&
            (whole.consumed == 3 || input.substr(whole.consumed - 5, 2) == "\r\n"),
        "the message ends right after <CRLF>.<CRLF>"
    );
    if (options.bare_line_end == BareLineEnd::Normalize) {
        check(!has_bare_line_end(whole.message), "Normalize stores no bare CR or LF");
        if (!whole.message.empty()) {
            check(whole.message.ends_with("\r\n"), "a stored message ends with CRLF");
        }
        const Outcome again =
            read_message(stuff(whole.message), options, [] { return std::size_t{1} << 20; });
        const auto* end_again = std::get_if<DataEnd>(&again.result);
        check(
            end_again != nullptr && again.message == whole.message &&
                !end_again->had_bare_line_ends,
            "dot-stuffing the stored message reads back the same message"
        );
    }
}

}  // namespace
}  // namespace govmail::smtp

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtp;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    // As the session reads: the configured size limit and bare line ends stored as CRLF.
    check_options(input, DataOptions{kDefaultMaxMessageSize, BareLineEnd::Normalize});
    // A small limit reaches 552 and the discard-to-terminator path; Reject reaches 550.
    check_options(input, DataOptions{64, BareLineEnd::Normalize});
    check_options(input, DataOptions{256, BareLineEnd::Reject});
    return 0;
}
