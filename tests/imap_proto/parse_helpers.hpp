#pragma once

// Shared by the imap_proto tests: run input through the reader or the parser, and print errors
// readably when an expectation fails.

#include <ostream>
#include <string_view>
#include <vector>

#include "imapd/proto/command_parser.hpp"
#include "imapd/proto/reader.hpp"

namespace govmail::imap {

inline void PrintTo(const Error& error, std::ostream* out) {
    *out << "Error{kind=" << static_cast<int>(error.kind) << ", text=\"" << error.text
         << "\", fatal=" << error.fatal << ", tag=" << error.tag.value_or("<none>") << "}";
}

}  // namespace govmail::imap

namespace govmail::imap::test {

inline constexpr std::size_t kTestDepth = 8;

inline ParseResult parse(std::string_view command) { return parse_command(command, kTestDepth); }

// The events other than NeedMore from feeding `input` to a fresh reader in pieces of
// `chunk_size` bytes (1 exercises every NeedMore path).
inline std::vector<ReaderEvent> feed(
    std::string_view input,
    std::size_t chunk_size,
    const ReaderLimits& limits = {.max_depth = kTestDepth}
) {
    CommandReader reader(limits);
    std::vector<ReaderEvent> events;
    while (!input.empty()) {
        std::string_view chunk = input.substr(0, chunk_size);
        input.remove_prefix(chunk.size());
        while (!chunk.empty()) {
            ReaderEvent event = reader.next_command(chunk);
            if (!std::holds_alternative<NeedMore>(event)) {
                const bool fatal =
                    std::holds_alternative<Error>(event) && std::get<Error>(event).fatal;
                events.push_back(std::move(event));
                if (fatal) {
                    return events;
                }
            }
        }
    }
    return events;
}

// The parse result as the reader reports it.
inline ReaderEvent as_event(const ParseResult& result) {
    return std::visit([](const auto& parsed) -> ReaderEvent { return parsed; }, result);
}

}  // namespace govmail::imap::test
