#include "managesieve/proto/command_reader.hpp"

#include <optional>

namespace govmail::managesieve {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Scanner {
public:
    Scanner(std::string_view input, const ReaderLimits& limits, bool named)
        : in_(input), limits_(limits), named_(named) {}

    ReadEvent run(std::string_view& input) {
        auto event = scan();
        if (std::holds_alternative<Command>(event)) {
            input.remove_prefix(pos_);
        } else if (auto* error = std::get_if<ReadError>(&event); error && !error->fatal) {
            skip_line(input);
        }
        return event;
    }

private:
    // Non-fatal errors end at the next line break.
    void skip_line(std::string_view& input) const {
        const auto end = input.find('\n', pos_);
        input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    }

    std::optional<ReadEvent> too_long() const {
        if (pos_ - literal_bytes_ > limits_.max_line) {
            return ReadError{"Line too long", true};
        }
        return std::nullopt;
    }

    // Whether the line is already too long when the input ends at END without its line end:
    // literal octets do not count, nor a last CR, which may start the line end.
    bool over_limit(std::size_t end) const {
        std::size_t held = end - literal_bytes_;
        if (end > 0 && in_[end - 1] == '\r') {
            --held;
        }
        return held > limits_.max_line;
    }

    // The line is incomplete: NeedMore, or a fatal error once it is already too long.
    ReadEvent need_more() const {
        if (over_limit(in_.size())) {
            return ReadError{"Line too long", true};
        }
        return NeedMore{};
    }

    // A fatal error seen once the input reaches END; the line may already be too long there.
    ReadError fatal(std::size_t end, std::string text) const {
        return ReadError{over_limit(end) ? "Line too long" : std::move(text), true};
    }

    ReadEvent syntax(std::string text) {
        // A syntax error is reported once its line is complete, so it can be skipped. A line
        // over the limit is fatal even when it is complete: the same line arriving in small
        // reads is too long before its end can be seen.
        const auto end = in_.find('\n', pos_);
        if (end == std::string_view::npos) {
            return need_more();
        }
        if (over_limit(end)) {
            return ReadError{"Line too long", true};
        }
        return ReadError{std::move(text), false};
    }

    ReadEvent scan() {
        Command command;
        while (pos_ < in_.size() && is_alpha(in_[pos_])) {
            command.name += static_cast<char>(in_[pos_] & ~0x20);
            ++pos_;
        }
        if (pos_ >= in_.size()) {
            return need_more();
        }
        if (command.name.empty() && named_) {
            return syntax("Command name expected");
        }
        if (!named_ && !command.name.empty()) {
            return syntax("String expected");
        }
        bool first = true;
        for (;;) {
            if (auto error = too_long()) {
                return *error;
            }
            if (pos_ >= in_.size()) {
                return need_more();
            }
            if (in_.substr(pos_).starts_with("\r\n") || in_[pos_] == '\n') {
                pos_ += in_[pos_] == '\r' ? 2 : 1;
                return command;
            }
            if (in_[pos_] == '\r') {
                return pos_ + 1 < in_.size() ? syntax("Bare CR") : need_more();
            }
            if (first && !named_) {
                first = false;  // a SASL answer starts with its string
            } else if (in_[pos_] != ' ') {
                return syntax("Space expected between arguments");
            } else {
                ++pos_;
            }
            if (command.args.size() >= limits_.max_arguments) {
                return syntax("Too many arguments");
            }
            std::string arg;
            auto event = argument(arg);
            if (event) {
                return std::move(*event);
            }
            command.args.push_back(std::move(arg));
        }
    }

    // One argument into ARG; nullopt when it was read, else the event to return.
    std::optional<ReadEvent> argument(std::string& arg) {
        if (pos_ >= in_.size()) {
            return need_more();
        }
        const char c = in_[pos_];
        if (c == '"') {
            return quoted(arg);
        }
        if (c == '{') {
            return literal(arg);
        }
        if (is_digit(c)) {
            while (pos_ < in_.size() && is_digit(in_[pos_])) {
                if (arg.size() >= 10) {
                    return syntax("Number too large");
                }
                arg += in_[pos_++];
            }
            return std::nullopt;
        }
        return syntax("String expected");
    }

    std::optional<ReadEvent> quoted(std::string& arg) {
        for (++pos_; pos_ < in_.size(); ++pos_) {
            char c = in_[pos_];
            if (c == '"') {
                ++pos_;
                return std::nullopt;
            }
            if (c == '\r' || c == '\n') {
                return syntax("Line break inside a quoted string");
            }
            if (c == '\\') {
                if (pos_ + 1 >= in_.size()) {
                    return need_more();
                }
                c = in_[++pos_];
                if (c != '\\' && c != '"') {
                    return syntax("Only \\\\ and \\\" may be escaped");
                }
            }
            if (arg.size() >= limits_.max_quoted) {
                return syntax("Quoted string too long; send a literal");
            }
            arg += c;
        }
        return need_more();
    }

    std::optional<ReadEvent> literal(std::string& arg) {
        std::size_t size = 0;
        std::size_t digits = 0;
        for (++pos_; pos_ < in_.size() && is_digit(in_[pos_]); ++pos_, ++digits) {
            if (digits >= 10) {
                return fatal(pos_, "Literal too large");
            }
            size = size * 10 + static_cast<std::size_t>(in_[pos_] - '0');
        }
        if (pos_ < in_.size() && in_[pos_] == '+') {
            ++pos_;
        }
        if (pos_ + 3 > in_.size()) {
            return need_more();
        }
        if (digits == 0 || in_.substr(pos_, 3) != "}\r\n") {
            return syntax("Bad literal");
        }
        if (size > limits_.max_literal) {
            // The client sends the octets without waiting; they cannot be told apart from
            // commands, so the connection ends.
            return fatal(pos_ + 2, "Literal too large");
        }
        pos_ += 3;
        if (in_.size() - pos_ < size) {
            literal_bytes_ += in_.size() - pos_;
            return need_more();
        }
        arg.assign(in_.substr(pos_, size));
        pos_ += size;
        literal_bytes_ += size;
        return std::nullopt;
    }

    std::string_view in_;
    const ReaderLimits& limits_;
    bool named_ = true;
    std::size_t pos_ = 0;
    std::size_t literal_bytes_ = 0;
};

}  // namespace

ReadEvent read_command(std::string_view& input, const ReaderLimits& limits) {
    return Scanner(input, limits, true).run(input);
}

ReadEvent read_arguments(std::string_view& input, const ReaderLimits& limits) {
    return Scanner(input, limits, false).run(input);
}

}  // namespace govmail::managesieve
