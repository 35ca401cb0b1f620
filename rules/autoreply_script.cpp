#include "rules/autoreply_script.hpp"

namespace govmail::rules {
namespace {

// TEXT as a Sieve quoted string: '"' and '\' escaped, line breaks kept (RFC 5228 2.4.2).
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

std::string currentdate(std::string_view relation, const std::string& day) {
    return "currentdate :value \"" + std::string(relation) + "\" \"date\" " + quoted(day);
}

// The test limiting the reply to its days, or "" when it has none.
std::string date_test(const AutoReplySetting& s) {
    if (s.starts_on && s.ends_on) {
        return "allof (" + currentdate("ge", *s.starts_on) + ",\n          " +
               currentdate("le", *s.ends_on) + ")";
    }
    if (s.starts_on) {
        return currentdate("ge", *s.starts_on);
    }
    return s.ends_on ? currentdate("le", *s.ends_on) : std::string{};
}

}  // namespace

std::string autoreply_script(const AutoReplySetting& s) {
    std::string out = "# The away reply set in the portal or by mailadm.\n";
    if (s.scope == AutoReplyScope::Organisation) {
        out += "# It answers only senders in the organisation's domains.\n";
    }
    const auto test = date_test(s);
    out += test.empty() ? "require \"vacation\";\n"
                        : "require [\"vacation\", \"date\", \"relational\"];\n";
    std::string vacation = "vacation :days " + std::to_string(s.period_days);
    if (!s.subject.empty()) {
        vacation += " :subject " + quoted(s.subject);
    }
    vacation += " " + quoted(s.body) + ";\n";
    if (test.empty()) {
        return out + vacation;
    }
    return out + "if " + test + " {\n    " + vacation + "}\n";
}

}  // namespace govmail::rules
