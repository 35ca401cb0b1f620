// libFuzzer target for the IMAP command path as a connection runs it: CommandReader frames
// lines and literals ({n}, {n+}, ~{n}) and hands each complete command to parse_command(), whose
// tokenizer reads nested lists, sequence sets, search keys and fetch attributes. Also
// parse_command() alone on the raw bytes (literal announcements the reader never let through)
// and next_line(), which reads AUTHENTICATE responses and IDLE's DONE.
// Invariants: the events (commands, errors, continuation requests) are the same whatever the
// sizes of the reads, and nothing after a fatal error.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "imapd/proto/command_parser.hpp"
#include "imapd/proto/reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::imap {
namespace {

constexpr std::size_t kDepth = 8;

// Small limits so that the fuzzer reaches every one of them with short inputs.
constexpr ReaderLimits kLimits{
    .max_line_length = 512,
    .max_literal_size = 256,
    .max_command_size = 2048,
    .max_append_size = 4096,
    .max_depth = kDepth,
};

template <class NextSize>
std::vector<ReaderEvent> read_commands(std::string_view input, NextSize&& next_size) {
    CommandReader reader(kLimits);
    std::vector<ReaderEvent> events;
    while (!input.empty()) {
        std::string_view piece = input.substr(0, next_size());
        input.remove_prefix(piece.size());
        while (!piece.empty()) {
            ReaderEvent event = reader.next_command(piece);
            if (std::holds_alternative<NeedMore>(event)) {
                continue;
            }
            const auto* error = std::get_if<Error>(&event);
            const bool fatal = error != nullptr && error->fatal;
            events.push_back(std::move(event));
            if (fatal) {
                std::string_view after = input;
                const ReaderEvent again = reader.next_command(after);
                fuzz::check(again == events.back(), "a reader that failed fatally stays failed");
                return events;
            }
        }
    }
    return events;
}

template <class NextSize>
std::vector<LineEvent> read_lines(std::string_view input, NextSize&& next_size) {
    CommandReader reader(kLimits);
    std::vector<LineEvent> events;
    while (!input.empty()) {
        std::string_view piece = input.substr(0, next_size());
        input.remove_prefix(piece.size());
        while (!piece.empty()) {
            LineEvent event = reader.next_line(piece);
            if (!std::holds_alternative<NeedMore>(event)) {
                const auto* error = std::get_if<Error>(&event);
                const bool fatal = error != nullptr && error->fatal;
                events.push_back(std::move(event));
                if (fatal) {
                    return events;
                }
            }
        }
    }
    return events;
}

}  // namespace
}  // namespace govmail::imap

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::imap;
    const std::string_view input = govmail::fuzz::as_text(data, size);

    const auto whole = read_commands(input, [&] { return input.size(); });
    govmail::fuzz::ReadSizes sizes(input);
    const auto pieces = read_commands(input, [&] { return sizes.next(); });
    govmail::fuzz::check(whole == pieces, "CommandReader is independent of read sizes");

    const auto lines = read_lines(input, [&] { return input.size(); });
    const auto line_bytes = read_lines(input, [] { return std::size_t{1}; });
    govmail::fuzz::check(lines == line_bytes, "next_line is independent of read sizes");

    (void)parse_command(input, kDepth);
    return 0;
}
