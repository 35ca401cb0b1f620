#include "imapd/proto/tokenizer.hpp"

#include <array>
#include <limits>

#include "common/utf8.hpp"
#include "imapd/proto/mailbox_name.hpp"
#include "imapd/proto/mutf7.hpp"

namespace govmail::imap {
namespace {

constexpr std::array<std::string_view, 6> kSystemFlags = {"\\Answered", "\\Flagged", "\\Deleted",
                                                          "\\Seen",     "\\Draft",   "\\Recent"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_tag_char(char c) { return is_astring_char(c) && c != '+'; }

bool is_list_char(char c) { return is_astring_char(c) || c == '%' || c == '*'; }

bool is_sequence_set_char(char c) {
    return is_digit(c) || c == ':' || c == ',' || c == '*' || c == '$';
}

}  // namespace

bool is_atom_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x1f || byte >= 0x7f) {
        return false;
    }
    constexpr std::string_view kAtomSpecials = "(){ %*\"\\]";
    return kAtomSpecials.find(c) == std::string_view::npos;
}

bool is_astring_char(char c) { return is_atom_char(c) || c == ']'; }

Tokenizer::Tokenizer(std::string_view input, std::size_t max_depth)
    : input_(input), max_depth_(max_depth) {}

void Tokenizer::fail(std::string&& text, ErrorKind kind) {
    if (!error_) {
        error_ = Error{kind, std::move(text), false, std::nullopt};
    }
}

char Tokenizer::peek() const {
    if (!ok() || position_ >= input_.size()) {
        return '\0';
    }
    return input_[position_];
}

bool Tokenizer::skip_if(char c) {
    if (!ok() || position_ >= input_.size() || input_[position_] != c) {
        return false;
    }
    ++position_;
    return true;
}

void Tokenizer::expect(char c) {
    if (skip_if(c)) {
        return;
    }
    if (peek() == '\r' && (position_ + 1 >= input_.size() || input_[position_ + 1] != '\n')) {
        fail("CR not followed by LF");
    } else if (at_line_end()) {
        fail("Missing arguments");
    } else if (c == ' ') {
        fail("Expected a space");
    } else {
        fail(std::string("Expected '") + c + "'");
    }
}

bool Tokenizer::at_line_end() const {
    const std::string_view rest = ok() ? input_.substr(position_) : std::string_view{};
    return rest == "\r\n" || rest == "\n";
}

void Tokenizer::line_end() {
    if (at_line_end()) {
        position_ = input_.size();
    } else if (peek() == '\r') {
        fail("CR not followed by LF");
    } else {
        fail("Unexpected extra arguments");
    }
}

std::string_view Tokenizer::take_while(bool (*accept)(char)) {
    const std::size_t start = position_;
    while (ok() && position_ < input_.size() && accept(input_[position_])) {
        ++position_;
    }
    return ok() ? input_.substr(start, position_ - start) : std::string_view{};
}

bool Tokenizer::skip_keyword(std::string_view word) {
    const std::string_view rest = ok() ? input_.substr(position_) : std::string_view{};
    if (rest.size() < word.size() || !iequals(rest.substr(0, word.size()), word)) {
        return false;
    }
    if (rest.size() > word.size() && is_atom_char(rest[word.size()])) {
        return false;
    }
    position_ += word.size();
    return true;
}

std::string Tokenizer::tag() {
    const std::string_view text = take_while(is_tag_char);
    if (text.empty()) {
        fail("Missing or invalid tag");
    }
    return std::string(text);
}

std::string Tokenizer::atom() {
    const std::string_view text = take_while(is_atom_char);
    if (text.empty()) {
        fail("Expected an atom");
    }
    return std::string(text);
}

std::string Tokenizer::keyword() { return ascii::upper(atom()); }

std::string Tokenizer::astring() {
    if (peek() == '"' || peek() == '{') {
        return string();
    }
    const std::string_view text = take_while(is_astring_char);
    if (text.empty()) {
        fail("Expected a string");
    }
    return std::string(text);
}

std::string Tokenizer::string() {
    if (peek() == '"') {
        return quoted();
    }
    if (peek() == '{') {
        return literal(false).data;
    }
    fail("Expected a quoted string or literal");
    return {};
}

std::optional<std::string> Tokenizer::nstring() {
    if (peek() == 'N' || peek() == 'n') {
        if (!iequals(atom(), "NIL")) {
            fail("Expected a string or NIL");
        }
        return std::nullopt;
    }
    return string();
}

std::string Tokenizer::quoted() {
    expect('"');
    std::string text;
    while (ok()) {
        if (position_ >= input_.size()) {
            fail("Unterminated quoted string");
            break;
        }
        char c = input_[position_++];
        if (c == '"') {
            break;
        }
        if (c == '\\') {
            c = position_ < input_.size() ? input_[position_++] : '\0';
            if (c != '"' && c != '\\') {
                fail("Invalid escape in quoted string");
            }
        } else if (c == '\r' || c == '\n') {
            fail("Unterminated quoted string");
        } else if (c == '\0') {
            fail("NUL in quoted string");
        }
        text += c;
    }
    if (ok() && !is_valid_utf8(text)) {
        fail("Quoted string is not valid UTF-8");
    }
    return ok() ? text : std::string{};
}

LiteralData Tokenizer::literal(bool allow_literal8) {
    LiteralData literal;
    literal.binary = allow_literal8 && skip_if('~');
    expect('{');
    const std::string_view digits = take_while(is_digit);
    skip_if('+');
    expect('}');
    skip_if('\r');
    if (!skip_if('\n')) {
        fail("Literal announcement must end the line");
    }
    if (!ok()) {
        return {};
    }
    std::uint64_t size = 0;
    for (const char c : digits) {
        size = size * 10 + static_cast<std::uint64_t>(c - '0');
        if (size > input_.size()) {
            break;  // the reader never lets this happen; the check below reports it
        }
    }
    if (digits.empty() || size > input_.size() - position_) {
        fail("Invalid literal size");
        return {};
    }
    literal.data = input_.substr(position_, static_cast<std::size_t>(size));
    position_ += static_cast<std::size_t>(size);
    if (!literal.binary && literal.data.find('\0') != std::string::npos) {
        fail("NUL in literal (use literal8 ~{n} for binary data)");
        return {};
    }
    return literal;
}

std::uint32_t Tokenizer::number() {
    const std::uint64_t value = number64();
    if (value > std::numeric_limits<std::uint32_t>::max()) {
        fail("Number too big");
        return 0;
    }
    return static_cast<std::uint32_t>(value);
}

std::uint32_t Tokenizer::nz_number() {
    const std::uint32_t value = number();
    if (ok() && value == 0) {
        fail("Number must not be 0");
    }
    return value;
}

std::uint64_t Tokenizer::number64() {
    const std::string_view digits = take_while(is_digit);
    if (digits.empty()) {
        fail("Expected a number");
        return 0;
    }
    constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::uint64_t value = 0;
    for (const char c : digits) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (kMax - digit) / 10) {
            fail("Number too big");
            return 0;
        }
        value = value * 10 + digit;
    }
    return value;
}

SequenceSet Tokenizer::sequence_set() {
    const std::string_view text = take_while(is_sequence_set_char);
    auto set = parse_sequence_set(text);
    if (!set) {
        fail("Invalid sequence set");
        return {};
    }
    return std::move(*set);
}

std::string Tokenizer::decode_mailbox(std::string_view raw) {
    auto name = mutf7_decode(raw);
    if (!ok()) {
        return {};
    }
    if (!name) {
        fail("Mailbox name is not valid modified UTF-7", ErrorKind::BadMailboxName);
        return {};
    }
    return std::move(*name);
}

std::string Tokenizer::canonical_mailbox(std::string_view decoded) {
    if (!ok()) {
        return {};
    }
    auto canonical = canonical_mailbox_name(decoded);
    if (const auto* fault = std::get_if<MailboxNameFault>(&canonical)) {
        fail(std::string(describe(*fault)), ErrorKind::BadMailboxName);
        return {};
    }
    return std::move(std::get<std::string>(canonical));
}

std::string Tokenizer::mailbox() { return canonical_mailbox(decode_mailbox(astring())); }

std::string Tokenizer::new_mailbox() {
    std::string name = decode_mailbox(astring());
    if (name.size() > 1 && name.back() == kDelimiter) {
        name.pop_back();
    }
    return canonical_mailbox(name);
}

std::string Tokenizer::list_reference() { return decode_mailbox(astring()); }

std::string Tokenizer::list_mailbox() {
    if (peek() == '"' || peek() == '{') {
        return decode_mailbox(string());
    }
    const std::string_view text = take_while(is_list_char);
    if (text.empty()) {
        fail("Expected a mailbox name or pattern");
    }
    return decode_mailbox(text);
}

std::string Tokenizer::flag() {
    if (!skip_if('\\')) {
        return atom();
    }
    std::string name = "\\" + atom();
    for (const std::string_view system_flag : kSystemFlags) {
        if (iequals(name, system_flag)) {
            return std::string(system_flag);
        }
    }
    return name;
}

std::vector<std::string> Tokenizer::flag_list() {
    std::vector<std::string> flags;
    list([&] { flags.push_back(flag()); }, EmptyList::Allowed);
    return flags;
}

std::chrono::year_month_day Tokenizer::date() {
    const std::string text = peek() == '"' ? quoted() : std::string(take_while(is_atom_char));
    const auto date = parse_date(text);
    if (!date) {
        fail("Invalid date");
        return {};
    }
    return *date;
}

DateTime Tokenizer::date_time() {
    const auto date_time = parse_date_time(quoted());
    if (!date_time) {
        fail("Invalid date-time");
        return {};
    }
    return *date_time;
}

bool Tokenizer::enter_nesting() {
    if (depth_ >= max_depth_) {
        fail("Too deeply nested", ErrorKind::TooDeep);
        return false;
    }
    ++depth_;
    return true;
}

}  // namespace govmail::imap
