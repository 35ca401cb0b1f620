#pragma once

// The tokens of a Sieve script (RFC 5228 section 2): identifiers, tags, numbers with their
// K/M/G multipliers, quoted and multi-line strings (decoded), and punctuation. Comments are
// dropped. Input is untrusted client text: errors come back as a message with the line
// number, the token count is bounded, nothing throws.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace govmail::managesieve {

enum class TokenKind {
    Identifier,
    Tag,     // ":days", text without the colon
    Number,  // value in `number`
    String,  // decoded text
    Semicolon,
    Comma,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
};

struct Token {
    TokenKind kind = TokenKind::Identifier;
    std::string text;
    std::uint64_t number = 0;
    int line = 1;
};

struct SieveError {
    std::string text;
};

inline constexpr std::size_t kMaxSieveTokens = 4096;

std::variant<std::vector<Token>, SieveError> lex_sieve(std::string_view script);

}  // namespace govmail::managesieve
