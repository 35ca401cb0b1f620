#include "managesieve/proto/sieve_vacation.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace govmail::managesieve {
namespace {

constexpr int kMaxDays = 365;

bool is_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c == '-' || (c >= '0' && c <= '9');
    });
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    std::variant<SieveMeaning, SieveError> run() {
        while (peek_identifier("require")) {
            ++pos_;
            auto names = string_list();
            if (!names) {
                return fail("require needs a string or a list of strings");
            }
            for (const auto& name : *names) {
                if (name != "vacation" && name != "date" && name != "relational") {
                    return fail("extension \"" + name + "\" is not supported");
                }
                required_.insert(name);
            }
            if (!expect(TokenKind::Semicolon)) {
                return fail("';' expected after require");
            }
        }
        if (at_end()) {
            return meaning_;
        }
        if (peek_identifier("if")) {
            ++pos_;
            if (auto error = condition()) {
                return *error;
            }
            if (!expect(TokenKind::LeftBrace)) {
                return fail("'{' expected after the if test");
            }
            if (auto error = actions(TokenKind::RightBrace)) {
                return *error;
            }
        } else if (auto error = actions(std::nullopt)) {
            return *error;
        }
        if (!at_end()) {
            return fail_here("only one vacation rule is supported");
        }
        if (meaning_.vacation) {
            meaning_.vacation->starts_on = starts_on_;
            meaning_.vacation->ends_on = ends_on_;
        }
        return meaning_;
    }

private:
    bool at_end() const { return pos_ >= tokens_.size(); }
    const Token* peek() const { return at_end() ? nullptr : &tokens_[pos_]; }
    bool peek_kind(TokenKind kind) const { return peek() != nullptr && peek()->kind == kind; }
    bool peek_identifier(std::string_view name) const {
        return peek_kind(TokenKind::Identifier) && peek()->text == name;
    }
    bool expect(TokenKind kind) {
        if (!peek_kind(kind)) {
            return false;
        }
        ++pos_;
        return true;
    }
    int line() const {
        if (tokens_.empty()) {
            return 1;
        }
        return at_end() ? tokens_.back().line : tokens_[pos_].line;
    }
    SieveError fail(std::string text) const {
        return SieveError{"line " + std::to_string(line()) + ": " + text};
    }
    SieveError fail_here(std::string_view text) const {
        std::string what(text);
        if (const auto* token = peek(); token != nullptr && token->kind == TokenKind::Identifier) {
            what = "\"" + token->text + "\" is not supported (" + what + ")";
        }
        return fail(what);
    }

    std::optional<std::string> string() {
        if (!peek_kind(TokenKind::String)) {
            return std::nullopt;
        }
        return tokens_[pos_++].text;
    }

    std::optional<std::vector<std::string>> string_list() {
        if (auto one = string()) {
            return std::vector<std::string>{std::move(*one)};
        }
        if (!expect(TokenKind::LeftBracket)) {
            return std::nullopt;
        }
        std::vector<std::string> out;
        do {
            auto item = string();
            if (!item) {
                return std::nullopt;
            }
            out.push_back(std::move(*item));
        } while (expect(TokenKind::Comma));
        if (!expect(TokenKind::RightBracket)) {
            return std::nullopt;
        }
        return out;
    }

    std::optional<SieveError> condition() {
        if (peek_identifier("allof")) {
            ++pos_;
            if (!expect(TokenKind::LeftParen)) {
                return fail("'(' expected after allof");
            }
            do {
                if (auto error = currentdate()) {
                    return error;
                }
            } while (expect(TokenKind::Comma));
            if (!expect(TokenKind::RightParen)) {
                return fail("')' expected to close allof");
            }
            return std::nullopt;
        }
        return currentdate();
    }

    // currentdate [:zone "+0100"] :value "ge"|"le" "date" "YYYY-MM-DD"
    std::optional<SieveError> currentdate() {
        if (!peek_identifier("currentdate")) {
            return fail_here("only currentdate date-range tests are supported");
        }
        ++pos_;
        if (required_.count("date") == 0 || required_.count("relational") == 0) {
            return fail("currentdate :value needs require [\"date\", \"relational\"]");
        }
        std::string relation;
        while (peek_kind(TokenKind::Tag)) {
            const auto tag = tokens_[pos_++].text;
            if (tag == "zone" || tag == "comparator") {
                if (!string()) {
                    return fail(":" + tag + " needs a string");
                }
            } else if (tag == "value") {
                auto value = string();
                if (!value) {
                    return fail(":value needs a relation such as \"ge\"");
                }
                relation = *value;
            } else {
                return fail("currentdate :" + tag + " is not supported");
            }
        }
        if (relation != "ge" && relation != "le") {
            return fail("currentdate needs :value \"ge\" or :value \"le\"");
        }
        const auto part = string();
        if (!part || *part != "date") {
            return fail("only the \"date\" part of currentdate is supported");
        }
        const auto days = string_list();
        if (!days || days->size() != 1 || !is_date(days->front())) {
            return fail("currentdate needs one date \"YYYY-MM-DD\"");
        }
        (relation == "ge" ? starts_on_ : ends_on_) = days->front();
        return std::nullopt;
    }

    // Commands up to CLOSE (or the end): one vacation, optionally followed by stop.
    std::optional<SieveError> actions(std::optional<TokenKind> close) {
        while (!at_end()) {
            if (close && expect(*close)) {
                return std::nullopt;
            }
            if (peek_identifier("vacation") && !meaning_.vacation) {
                ++pos_;
                if (auto error = vacation()) {
                    return error;
                }
            } else if (peek_identifier("stop")) {
                ++pos_;
            } else if (peek_identifier("keep")) {
                ++pos_;  // the implicit keep: delivery is not changed
            } else {
                return fail_here("only one vacation action is supported");
            }
            if (!expect(TokenKind::Semicolon)) {
                return fail("';' expected");
            }
        }
        if (close) {
            return fail("'}' expected");
        }
        return std::nullopt;
    }

    std::optional<SieveError> vacation() {
        if (required_.count("vacation") == 0) {
            return fail("vacation needs require \"vacation\"");
        }
        VacationRule rule;
        while (peek_kind(TokenKind::Tag)) {
            const auto tag = tokens_[pos_++].text;
            if (tag == "days") {
                if (!peek_kind(TokenKind::Number)) {
                    return fail(":days needs a number");
                }
                const auto days = tokens_[pos_++].number;
                rule.days = static_cast<int>(std::clamp<std::uint64_t>(days, 1, kMaxDays));
            } else if (tag == "subject" || tag == "handle") {
                auto text = string();
                if (!text) {
                    return fail(":" + tag + " needs a string");
                }
                if (tag == "subject") {
                    rule.subject = std::move(*text);
                }
            } else if (tag == "addresses") {
                if (!string_list()) {
                    return fail(":addresses needs a list of strings");
                }
            } else {
                const std::string why =
                    tag == "from" ? " (replies come from the account's own address)" : "";
                return fail("vacation :" + tag + " is not supported" + why);
            }
        }
        auto body = string();
        if (!body) {
            return fail("vacation needs the away text as a string");
        }
        rule.body = std::move(*body);
        meaning_.vacation = std::move(rule);
        return std::nullopt;
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::set<std::string> required_;
    SieveMeaning meaning_;
    std::optional<std::string> starts_on_;
    std::optional<std::string> ends_on_;
};

}  // namespace

std::variant<SieveMeaning, SieveError> parse_vacation_script(std::string_view script) {
    auto tokens = lex_sieve(script);
    if (auto* error = std::get_if<SieveError>(&tokens)) {
        return *error;
    }
    return Parser(std::get<std::vector<Token>>(std::move(tokens))).run();
}

}  // namespace govmail::managesieve
