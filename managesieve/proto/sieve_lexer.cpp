#include "managesieve/proto/sieve_lexer.hpp"

#include <limits>
#include <optional>

namespace govmail::managesieve {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
public:
    explicit Lexer(std::string_view in) : in_(in) {}

    std::variant<std::vector<Token>, SieveError> run() {
        std::vector<Token> out;
        for (;;) {
            if (auto error = skip_space()) {
                return *error;
            }
            if (pos_ >= in_.size()) {
                return out;
            }
            if (out.size() >= kMaxSieveTokens) {
                return fail("the script is too long");
            }
            auto token = next();
            if (auto* error = std::get_if<SieveError>(&token)) {
                return *error;
            }
            out.push_back(std::get<Token>(std::move(token)));
        }
    }

private:
    SieveError fail(std::string_view what) const {
        return SieveError{"line " + std::to_string(line_) + ": " + std::string(what)};
    }

    std::optional<SieveError> skip_space() {
        while (pos_ < in_.size()) {
            const char c = in_[pos_];
            if (c == '\n') {
                ++line_;
                ++pos_;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                ++pos_;
            } else if (c == '#') {
                while (pos_ < in_.size() && in_[pos_] != '\n') {
                    ++pos_;
                }
            } else if (in_.substr(pos_, 2) == "/*") {
                const auto end = in_.find("*/", pos_ + 2);
                if (end == std::string_view::npos) {
                    return fail("unterminated comment");
                }
                for (auto i = pos_; i < end; ++i) {
                    line_ += in_[i] == '\n' ? 1 : 0;
                }
                pos_ = end + 2;
            } else {
                break;
            }
        }
        return std::nullopt;
    }

    Token make(TokenKind kind, std::string text = {}) const {
        return Token{kind, std::move(text), 0, line_};
    }

    std::string word() {
        const auto start = pos_;
        while (pos_ < in_.size() && (is_alpha(in_[pos_]) || is_digit(in_[pos_]))) {
            ++pos_;
        }
        return std::string(in_.substr(start, pos_ - start));
    }

    std::variant<Token, SieveError> next() {
        const char c = in_[pos_];
        switch (c) {
            case ';':
                ++pos_;
                return make(TokenKind::Semicolon);
            case ',':
                ++pos_;
                return make(TokenKind::Comma);
            case '(':
                ++pos_;
                return make(TokenKind::LeftParen);
            case ')':
                ++pos_;
                return make(TokenKind::RightParen);
            case '{':
                ++pos_;
                return make(TokenKind::LeftBrace);
            case '}':
                ++pos_;
                return make(TokenKind::RightBrace);
            case '[':
                ++pos_;
                return make(TokenKind::LeftBracket);
            case ']':
                ++pos_;
                return make(TokenKind::RightBracket);
            case '"':
                return quoted();
            default:
                break;
        }
        if (c == ':') {
            ++pos_;
            if (pos_ >= in_.size() || !is_alpha(in_[pos_])) {
                return fail("':' must start a tag such as :days");
            }
            return make(TokenKind::Tag, word());
        }
        if (is_digit(c)) {
            return number();
        }
        if (is_alpha(c)) {
            auto name = word();
            if (name == "text" && pos_ < in_.size() && in_[pos_] == ':') {
                ++pos_;
                return multiline();
            }
            return make(TokenKind::Identifier, std::move(name));
        }
        return fail("unexpected character");
    }

    std::variant<Token, SieveError> number() {
        std::uint64_t value = 0;
        while (pos_ < in_.size() && is_digit(in_[pos_])) {
            value = value * 10 + static_cast<std::uint64_t>(in_[pos_] - '0');
            if (value > (std::uint64_t{1} << 40)) {
                return fail("number too large");
            }
            ++pos_;
        }
        if (pos_ < in_.size()) {
            const char unit = static_cast<char>(in_[pos_] | 0x20);
            const int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
            if (shift != 0) {
                if (value > std::numeric_limits<std::uint64_t>::max() >> shift) {
                    return fail("number too large");
                }
                value <<= shift;
                ++pos_;
            }
        }
        Token token = make(TokenKind::Number);
        token.number = value;
        return token;
    }

    std::variant<Token, SieveError> quoted() {
        const int start_line = line_;
        std::string text;
        for (++pos_; pos_ < in_.size(); ++pos_) {
            char c = in_[pos_];
            if (c == '"') {
                ++pos_;
                Token token{TokenKind::String, std::move(text), 0, start_line};
                return token;
            }
            if (c == '\\' && pos_ + 1 < in_.size()) {
                c = in_[++pos_];  // RFC 5228 2.4.2: "\x" is x
            }
            line_ += c == '\n' ? 1 : 0;
            text += c;
        }
        return fail("unterminated string");
    }

    // "text:" then the rest of the line (blanks and a comment only), then lines up to a
    // line holding a lone dot; a leading ".." stands for "." (RFC 5228 2.4.2).
    std::variant<Token, SieveError> multiline() {
        const int start_line = line_;
        while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t')) {
            ++pos_;
        }
        if (pos_ < in_.size() && in_[pos_] == '#') {
            while (pos_ < in_.size() && in_[pos_] != '\n') {
                ++pos_;
            }
        }
        if (pos_ < in_.size() && in_[pos_] == '\r') {
            ++pos_;
        }
        if (pos_ >= in_.size() || in_[pos_] != '\n') {
            return fail("text: must end its line");
        }
        ++pos_;
        ++line_;
        std::string text;
        while (pos_ < in_.size()) {
            auto end = in_.find('\n', pos_);
            if (end == std::string_view::npos) {
                break;
            }
            auto line = in_.substr(pos_, end - pos_);
            pos_ = end + 1;
            ++line_;
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            if (line == ".") {
                Token token{TokenKind::String, std::move(text), 0, start_line};
                return token;
            }
            if (line.substr(0, 2) == "..") {
                line.remove_prefix(1);
            }
            text.append(line);
            text += "\r\n";
        }
        return fail("multi-line text without its closing '.' line");
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

}  // namespace

std::variant<std::vector<Token>, SieveError> lex_sieve(std::string_view script) {
    return Lexer(script).run();
}

}  // namespace govmail::managesieve
