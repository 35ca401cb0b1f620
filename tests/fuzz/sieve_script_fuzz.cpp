// libFuzzer target for the Sieve scripts PUTSCRIPT and CHECKSCRIPT receive: lex_sieve() and
// parse_vacation_script(), the vacation subset govmail understands.
// Invariants:
// - the lexer returns at most kMaxSieveTokens tokens with line numbers that never go back and
//   never pass the script's line count; its errors and the parser's name a line;
// - an understood away rule has :days within 1..365 and dates shaped "YYYY-MM-DD";
// - written back as a script (strings quoted, dates as currentdate tests), an understood rule
//   reads back as the same rule.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "managesieve/proto/sieve_lexer.hpp"
#include "managesieve/proto/sieve_vacation.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::managesieve {
namespace {

using fuzz::check;

bool names_a_line(const SieveError& error) { return error.text.starts_with("line "); }

bool is_date_shaped(const std::optional<std::string>& date) {
    return !date || (date->size() == 10 && (*date)[4] == '-' && (*date)[7] == '-');
}

void check_tokens(std::string_view script) {
    const auto lexed = lex_sieve(script);
    if (const auto* error = std::get_if<SieveError>(&lexed)) {
        check(names_a_line(*error), "a lexer error names its line");
        return;
    }
    const auto& tokens = std::get<std::vector<Token>>(lexed);
    check(tokens.size() <= kMaxSieveTokens, "at most kMaxSieveTokens tokens");
    const auto lines = 1 + std::count(script.begin(), script.end(), '\n');
    int previous = 1;
    for (const auto& token : tokens) {
        check(token.line >= previous && token.line <= lines, "token lines follow the script");
        previous = token.line;
    }
}

// RFC 5228 section 2.4.2: a quoted string with '"' and '\' escaped.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string script_for(const VacationRule& rule) {
    std::string action = "vacation :days " + std::to_string(rule.days);
    if (!rule.subject.empty()) {
        action += " :subject " + quoted(rule.subject);
    }
    action += " " + quoted(rule.body) + ";\n";
    std::vector<std::string> tests;
    if (rule.starts_on) {
        tests.push_back("currentdate :value \"ge\" \"date\" " + quoted(*rule.starts_on));
    }
    if (rule.ends_on) {
        tests.push_back("currentdate :value \"le\" \"date\" " + quoted(*rule.ends_on));
    }
    std::string script = "require [\"vacation\", \"date\", \"relational\"];\n";
    if (tests.empty()) {
        return script + action;
    }
    script += "if allof (" + tests.front();
    for (std::size_t i = 1; i < tests.size(); ++i) {
        script += ", " + tests[i];
    }
    return script + ") {\n" + action + "}\n";
}

bool same_rule(const VacationRule& a, const VacationRule& b) {
    return a.subject == b.subject && a.body == b.body && a.days == b.days &&
           a.starts_on == b.starts_on && a.ends_on == b.ends_on;
}

void check_meaning(std::string_view script) {
    const auto parsed = parse_vacation_script(script);
    if (const auto* error = std::get_if<SieveError>(&parsed)) {
        check(names_a_line(*error), "a parser error names its line");
        return;
    }
    const auto& vacation = std::get<SieveMeaning>(parsed).vacation;
    if (!vacation) {
        return;
    }
    check(vacation->days >= 1 && vacation->days <= 365, ":days within 1..365");
    check(
        is_date_shaped(vacation->starts_on) && is_date_shaped(vacation->ends_on),
        "dates are YYYY-MM-DD"
    );
    const auto again = parse_vacation_script(script_for(*vacation));
    const auto* meaning = std::get_if<SieveMeaning>(&again);
    check(
        meaning != nullptr && meaning->vacation && same_rule(*meaning->vacation, *vacation),
        "an understood rule written back as a script reads back the same"
    );
}

}  // namespace
}  // namespace govmail::managesieve

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::managesieve;
    const std::string_view script = govmail::fuzz::as_text(data, size);
    check_tokens(script);
    check_meaning(script);
    return 0;
}
