#pragma once

// Reads RFC 3501 tokens off one complete command (its lines and literal data, as the
// CommandReader collected them). The first error sticks, as Dovecot's imap-parser keeps
// parser->error: after it every read returns an empty value and peek() returns '\0', so parsers
// read straight through and the caller checks error() once at the end.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ascii.hpp"
#include "imapd/proto/date_time.hpp"
#include "imapd/proto/error.hpp"
#include "imapd/proto/sequence_set.hpp"

namespace govmail::imap {

enum class EmptyList { Allowed, Refused };

struct LiteralData {
    std::string data;
    bool binary = false;  // literal8 ~{n}
};

class Tokenizer {
public:
    // `max_depth` bounds nested parentheses and nested NOT/OR search keys together.
    Tokenizer(std::string_view input, std::size_t max_depth);

    bool ok() const { return !error_.has_value(); }
    const std::optional<Error>& error() const { return error_; }
    // Records an error unless one is already recorded.
    void fail(std::string&& text, ErrorKind kind = ErrorKind::Syntax);

    char peek() const;  // the next byte; '\0' at the end and after an error
    bool skip_if(char c);
    void expect(char c);
    void space() { expect(' '); }
    bool at_line_end() const;
    void line_end();  // CRLF (a bare LF is accepted) that must end the input
    // The longest run of bytes matching `accept`, possibly empty.
    std::string_view take_while(bool (*accept)(char));

    // Consumes `word` (case-insensitive) if it comes next as a whole atom.
    bool skip_keyword(std::string_view word);

    std::string tag();  // 1*<ASTRING-CHAR except "+">
    std::string atom();
    std::string keyword();  // an atom, upper-cased
    std::string astring();
    std::string string();  // quoted or literal
    std::optional<std::string> nstring();
    LiteralData literal(bool allow_literal8);
    std::uint32_t number();
    std::uint32_t nz_number();
    std::uint64_t number64();  // mod-sequence-value and other 63-bit numbers
    SequenceSet sequence_set();
    // An astring naming a mailbox: modified UTF-7 decoded, in canonical form (mailbox_name.hpp).
    std::string mailbox();
    // A name CREATE or RENAME gives a new mailbox: like mailbox(), after dropping one trailing
    // delimiter ("a/" declares that names will be created below "a", RFC 3501 section 6.3.3).
    std::string new_mailbox();
    std::string list_reference();  // an astring, modified UTF-7 decoded
    std::string list_mailbox();    // like list_reference(), and "%" and "*" allowed unquoted
    std::string flag();            // "\Seen" (canonical case), "\Extension" or a keyword atom
    std::vector<std::string> flag_list();
    std::chrono::year_month_day date();  // date-text, quoted or not
    DateTime date_time();                // quoted date-time

    // "(" item *(SP item) ")": calls read_item() for each item, checking the nesting limit.
    template <class ReadItem>
    void list(ReadItem&& read_item, EmptyList empty) {
        expect('(');
        if (!enter_nesting()) {
            return;
        }
        if (skip_if(')')) {
            if (empty == EmptyList::Refused) {
                fail("Empty list");
            }
        } else {
            do {
                read_item();
            } while (ok() && skip_if(' '));
            expect(')');
        }
        leave_nesting();
    }

    // For recursive grammar outside lists (SEARCH NOT and OR): false, with the error recorded,
    // if one more level would pass the limit. Every successful enter is paired with a leave.
    bool enter_nesting();
    void leave_nesting() { --depth_; }

private:
    std::string quoted();
    std::string decode_mailbox(std::string_view raw);
    std::string canonical_mailbox(std::string_view decoded);

    std::string_view input_;
    std::size_t position_ = 0;
    std::size_t depth_ = 0;
    std::size_t max_depth_;
    std::optional<Error> error_;
};

bool is_atom_char(char c);
bool is_astring_char(char c);
using ascii::iequals;  // common/ascii.hpp's, named here for the IMAP parsers and commands

}  // namespace govmail::imap
