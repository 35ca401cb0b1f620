#pragma once

// A cursor over a structured header value (RFC 5322 section 3.2): white space, folding,
// comments, quoted strings and atoms. Shared by the Content-Type and address parsers.
// Never fails: unterminated quotes and comments run to the end of the value.

#include <string>
#include <string_view>

namespace govmail::mime {

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ >= text_.size(); }
    // The current character, or '\0' at the end.
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    void advance() { ++pos_; }

    // Skips white space, line ends and comments. The text of the last comment skipped (its
    // outer parentheses removed) is kept in last_comment() until the next call.
    void skip_cfws();
    const std::string& last_comment() const { return last_comment_; }

    // At a '"': the quoted string's content, quoted-pairs resolved.
    std::string quoted_string();

    // The run of characters from here up to white space, a control character, '"', '(' or one
    // of `specials`; empty when the current character is one of those.
    std::string_view atom(std::string_view specials);

    // Moves past the next `stop` character outside quotes and comments (or to the end).
    void skip_past(char stop);

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::string last_comment_;
};

}  // namespace govmail::mime
