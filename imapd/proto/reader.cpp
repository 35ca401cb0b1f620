#include "imapd/proto/reader.hpp"

#include <algorithm>
#include <limits>

#include "imapd/proto/command_parser.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

// Buffers above this are freed after a command instead of being kept for the next one.
constexpr std::size_t kKeptBufferCapacity = std::size_t{64} * 1024;

// The end of a line over the limit kept to find a literal announcement: "{" 20 digits "+}" CRLF.
constexpr std::size_t kTailKept = 32;

// The line without its LF and, if present, the CR before it.
std::string_view strip_line_end(std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

}  // namespace

CommandReader::CommandReader(const ReaderLimits& limits) : limits_(limits) {}

ReaderEvent CommandReader::next_command(std::string_view& input) {
    while (!fatal_ && !input.empty()) {
        if (literal_left_ > 0) {
            take_literal(input);
            continue;
        }
        if (!take_line(input)) {
            break;
        }
        ReaderEvent event = overlong_ ? finish_overlong_line() : finish_line();
        if (!std::holds_alternative<NeedMore>(event)) {
            return event;
        }
    }
    if (fatal_) {
        return *fatal_;
    }
    return NeedMore{};
}

LineEvent CommandReader::next_line(std::string_view& input) {
    const bool complete = !fatal_ && take_line(input);
    if (overlong_) {
        return fail_fatally(ErrorKind::TooLong, "Line too long");
    }
    if (complete) {
        Line line{std::string(strip_line_end(buffer_))};
        clear_command();
        return line;
    }
    if (fatal_) {
        return *fatal_;
    }
    return NeedMore{};
}

void CommandReader::reset() {
    clear_command();
    fatal_.reset();
}

// Moves bytes up to and including the next LF into buffer_, tracking quoted strings so that a
// "{n}" inside one is not taken for a literal. True once the line is complete.
bool CommandReader::take_line(std::string_view& input) {
    const std::size_t newline = input.find('\n');
    const std::size_t take = newline == std::string_view::npos ? input.size() : newline + 1;
    if (overlong_) {
        discard(input.substr(0, take));
        input.remove_prefix(take);
        return newline != std::string_view::npos;
    }
    const std::size_t line_room = limits_.max_line_length - (buffer_.size() - line_start_);
    const std::size_t command_room =
        command_limit() - std::min<std::size_t>(command_limit(), buffer_.size());
    if (take > line_room || take > command_room) {
        // What fits is taken first, so that the error names the command's tag whether the
        // line arrived in one read or byte by byte.
        const std::size_t fits = std::min(line_room, command_room);
        track_quotes(input.substr(0, fits));
        buffer_.append(input.substr(0, fits));
        input.remove_prefix(fits);
        if (line_room > command_room) {
            fail_fatally(ErrorKind::TooLong, "Command too long");
            return false;
        }
        overlong_ = true;
        return take_line(input);
    }
    track_quotes(input.substr(0, take));
    buffer_.append(input.substr(0, take));
    input.remove_prefix(take);
    return newline != std::string_view::npos;
}

void CommandReader::track_quotes(std::string_view bytes) {
    for (const char c : bytes) {
        if (escaped_) {
            escaped_ = false;
        } else if (in_quoted_ && c == '\\') {
            escaped_ = true;
        } else if (c == '"') {
            in_quoted_ = !in_quoted_;
        }
    }
}

// Bytes of a line over the limit: only the last few are kept, enough to see a literal
// announcement at its end.
void CommandReader::discard(std::string_view bytes) {
    track_quotes(bytes);
    overlong_tail_.append(bytes.substr(bytes.size() - std::min(bytes.size(), kTailKept)));
    if (overlong_tail_.size() > kTailKept) {
        overlong_tail_.erase(0, overlong_tail_.size() - kTailKept);
    }
}

// The end of a line over the limit: BAD, and the session goes on with the next line. A
// non-synchronising literal announced at its end is already on its way and cannot be told
// from commands, so that one is fatal, as a literal over its limit is.
ReaderEvent CommandReader::finish_overlong_line() {
    auto tag = known_tag();
    const bool ends_quoted = in_quoted_;
    in_quoted_ = false;
    escaped_ = false;
    const auto literal = ends_quoted ? std::nullopt : literal_announcement(overlong_tail_);
    if (literal && !literal->synchronising) {
        return fail_fatally(ErrorKind::TooLong, "Line too long");
    }
    clear_command();
    return Error{ErrorKind::TooLong, "Line too long", false, std::move(tag)};
}

void CommandReader::take_literal(std::string_view& input) {
    const auto take =
        static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, input.size()));
    buffer_.append(input.substr(0, take));
    input.remove_prefix(take);
    literal_left_ -= take;
    if (literal_left_ == 0) {
        start_line();
    }
}

ReaderEvent CommandReader::finish_line() {
    if (line_start_ == 0) {
        Tokenizer tokens(buffer_, 0);
        tokens.tag();
        tokens.space();
        is_append_ = tokens.skip_keyword("APPEND");
    }
    const bool line_ends_quoted = in_quoted_;
    in_quoted_ = false;
    escaped_ = false;
    const auto literal = line_ends_quoted
                             ? std::nullopt
                             : literal_announcement(std::string_view(buffer_).substr(line_start_));
    if (!literal) {
        return finish_command();
    }
    if (auto refusal = refuse_literal(*literal)) {
        if (!literal->synchronising) {
            return fail_fatally(refusal->kind, std::move(refusal->text));
        }
        clear_command();
        return *refusal;
    }
    literal_left_ = literal->size;
    start_line();
    if (literal->synchronising) {
        return NeedContinuation{};
    }
    return NeedMore{};
}

ReaderEvent CommandReader::finish_command() {
    ParseResult result = parse_command(buffer_, limits_.max_depth);
    clear_command();
    return std::visit([](auto& parsed) -> ReaderEvent { return std::move(parsed); }, result);
}

// "{n}", "{n+}", "~{n}" or "~{n+}" at the end of LINE.
std::optional<CommandReader::LiteralAnnouncement> CommandReader::literal_announcement(
    std::string_view line
) {
    line = strip_line_end(line);
    if (line.empty() || line.back() != '}') {
        return std::nullopt;
    }
    line.remove_suffix(1);
    LiteralAnnouncement literal;
    if (!line.empty() && line.back() == '+') {
        literal.synchronising = false;
        line.remove_suffix(1);
    }
    const std::size_t open = line.rfind('{');
    if (open == std::string_view::npos || open + 1 == line.size()) {
        return std::nullopt;
    }
    for (const char c : line.substr(open + 1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        // Saturate: anything this large is refused without being read.
        if (literal.size > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
            literal.size = std::numeric_limits<std::uint64_t>::max();
        } else {
            literal.size = literal.size * 10 + digit;
        }
    }
    return literal;
}

std::optional<Error> CommandReader::refuse_literal(const LiteralAnnouncement& literal) const {
    const std::uint64_t literal_limit =
        is_append_ ? limits_.max_append_size : limits_.max_literal_size;
    const std::uint64_t room =
        command_limit() - std::min<std::uint64_t>(command_limit(), buffer_.size());
    if (literal.size <= literal_limit && literal.size <= room) {
        return std::nullopt;
    }
    return Error{ErrorKind::TooBig, "Literal too big", false, known_tag()};
}

std::uint64_t CommandReader::command_limit() const {
    return is_append_ ? limits_.max_append_size : limits_.max_command_size;
}

std::optional<std::string> CommandReader::known_tag() const {
    Tokenizer tokens(buffer_, 0);
    std::string tag = tokens.tag();
    if (!tokens.skip_if(' ')) {
        return std::nullopt;
    }
    return tag;
}

Error CommandReader::fail_fatally(ErrorKind kind, std::string&& text) {
    fatal_ = Error{kind, std::move(text), true, known_tag()};
    clear_command();
    return *fatal_;
}

void CommandReader::clear_command() {
    if (buffer_.capacity() > kKeptBufferCapacity) {
        std::string().swap(buffer_);
    } else {
        buffer_.clear();
    }
    line_start_ = 0;
    literal_left_ = 0;
    in_quoted_ = false;
    escaped_ = false;
    is_append_ = false;
    overlong_ = false;
    overlong_tail_.clear();
}

}  // namespace govmail::imap
