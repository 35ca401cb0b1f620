#include "mime/lexer.hpp"

#include "mime/ascii.hpp"

namespace govmail::mime {

void Lexer::skip_cfws() {
    last_comment_.clear();
    while (!at_end()) {
        const char c = peek();
        if (is_wsp(c) || c == '\r' || c == '\n') {
            advance();
            continue;
        }
        if (c != '(') {
            return;
        }
        last_comment_.clear();
        advance();
        // Nesting is counted, not recursed into, so a "((((..." bomb costs nothing.
        std::size_t depth = 1;
        while (!at_end() && depth > 0) {
            const char inner = peek();
            advance();
            if (inner == '\\' && !at_end()) {
                last_comment_ += peek();
                advance();
                continue;
            }
            depth += inner == '(' ? 1 : 0;
            depth -= inner == ')' ? 1 : 0;
            if (depth > 0 && inner != '\r' && inner != '\n') {
                last_comment_ += inner;
            }
        }
    }
}

std::string Lexer::quoted_string() {
    std::string out;
    advance();  // the opening quote
    while (!at_end()) {
        const char c = peek();
        advance();
        if (c == '"') {
            break;
        }
        if (c == '\\' && !at_end()) {
            out += peek();
            advance();
            continue;
        }
        if (c != '\r' && c != '\n') {
            out += c;
        }
    }
    return out;
}

std::string_view Lexer::atom(std::string_view specials) {
    const std::size_t begin = pos_;
    while (!at_end()) {
        const auto c = static_cast<unsigned char>(peek());
        if (c <= ' ' || c == 127 || c == '"' || c == '(' ||
            specials.find(static_cast<char>(c)) != std::string_view::npos) {
            break;
        }
        advance();
    }
    return text_.substr(begin, pos_ - begin);
}

void Lexer::skip_past(char stop) {
    while (!at_end()) {
        const char c = peek();
        if (c == '"') {
            quoted_string();
        } else if (c == '(') {
            skip_cfws();
        } else {
            advance();
            if (c == stop) {
                return;
            }
        }
    }
}

}  // namespace govmail::mime
