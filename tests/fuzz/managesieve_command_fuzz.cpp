// libFuzzer target for the ManageSieve command reader as a session runs it: the bytes read so far
// are kept in one buffer and read_command() (or read_arguments(), as for a SASL answer) takes
// commands from its front until it needs more; a fatal error ends the connection.
// Invariants:
// - the events (commands, errors) are the same whatever the sizes of the reads;
// - NeedMore leaves the buffer as it was, and while the reader waits the buffer stays within
//   one line plus the literals it announced;
// - a command or a non-fatal error consumes something, so the session cannot loop;
// - no command has more arguments than max_arguments, and no argument is longer than
//   max_literal.
// - every command parses (parse_request) into the Request its name names, or into an error:
//   Unknown exactly when request_index() does not know the name.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "managesieve/proto/command_reader.hpp"
#include "managesieve/proto/requests.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::managesieve {
namespace {

using fuzz::check;

// Small limits so that the fuzzer reaches every one of them with short inputs.
constexpr ReaderLimits kLimits{
    .max_line = 128,
    .max_literal = 64,
    .max_quoted = 16,
    .max_arguments = 3,
};

struct Event {
    ReadEvent event;
    std::size_t consumed = 0;
};

// The reader's types have no operator==; two events are the same when they say the same.
bool same(const ReadEvent& a, const ReadEvent& b) {
    if (a.index() != b.index()) {
        return false;
    }
    if (const auto* command = std::get_if<Command>(&a)) {
        const auto& other = std::get<Command>(b);
        return command->name == other.name && command->args == other.args;
    }
    if (const auto* error = std::get_if<ReadError>(&a)) {
        const auto& other = std::get<ReadError>(b);
        return error->text == other.text && error->fatal == other.fatal;
    }
    return true;
}

bool same(const std::vector<Event>& a, const std::vector<Event>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Event& x, const Event& y) {
        return x.consumed == y.consumed && same(x.event, y.event);
    });
}

using Reader = ReadEvent (*)(std::string_view&, const ReaderLimits&);

void check_command(const Command& command, bool named) {
    check(command.name.empty() != named, "a command has a name, a SASL answer none");
    check(command.args.size() <= kLimits.max_arguments, "at most max_arguments arguments");
    for (const auto& arg : command.args) {
        check(arg.size() <= kLimits.max_literal, "no argument passes max_literal");
    }
    if (!named) {
        return;
    }
    const auto index = request_index(command.name);
    auto parsed = parse_request(Command(command));
    if (const auto* request = std::get_if<Request>(&parsed)) {
        check(index == request->index(), "a command parses into the Request of its name");
    } else {
        const bool unknown = std::get<RequestError>(parsed).kind == RequestError::Kind::Unknown;
        check(unknown == !index.has_value(), "only a name request_index() lacks is unknown");
    }
}

// Runs the session's loop on INPUT arriving in reads of next_size() bytes.
template <class NextSize>
std::vector<Event> read_events(std::string_view input, Reader reader, NextSize&& next_size) {
    const bool named = reader == &read_command;
    std::string buffer;
    std::vector<Event> events;
    while (!input.empty()) {
        const std::string_view piece = input.substr(0, next_size());
        input.remove_prefix(piece.size());
        buffer.append(piece);
        for (;;) {
            std::string_view pending(buffer);
            ReadEvent event = reader(pending, kLimits);
            const std::size_t consumed = buffer.size() - pending.size();
            if (std::holds_alternative<NeedMore>(event)) {
                check(consumed == 0, "NeedMore leaves the buffer as it was");
                check(
                    buffer.size() <= kLimits.max_line + kLimits.max_arguments * kLimits.max_literal,
                    "a waiting reader holds at most a line and its literals"
                );
                break;
            }
            if (const auto* command = std::get_if<Command>(&event)) {
                check_command(*command, named);
            }
            const auto* error = std::get_if<ReadError>(&event);
            const bool fatal = error != nullptr && error->fatal;
            check(fatal || consumed > 0, "a command or a non-fatal error consumes its line");
            buffer.erase(0, consumed);
            events.push_back(Event{std::move(event), consumed});
            if (fatal) {
                return events;
            }
        }
    }
    return events;
}

void check_reader(std::string_view input, Reader reader) {
    const auto whole = read_events(input, reader, [&] { return input.size(); });
    const auto bytes = read_events(input, reader, [] { return std::size_t{1}; });
    fuzz::ReadSizes sizes(input);
    const auto pieces = read_events(input, reader, [&] { return sizes.next(); });
    check(same(whole, bytes), "ManageSieve reader: all at once equals byte at a time");
    check(same(whole, pieces), "ManageSieve reader: all at once equals reads of 1-16 bytes");
}

}  // namespace
}  // namespace govmail::managesieve

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::managesieve;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    check_reader(input, &read_command);
    check_reader(input, &read_arguments);
    return 0;
}
