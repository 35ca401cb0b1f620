#pragma once

// rspamd's answer to POST /checkv2 (its "protocol v2" JSON: action, score, symbols, messages)
// as a typed verdict. Pure: no I/O, so the parsing is unit tested with rspamd's documented
// answers. The answer comes from a trusted local scanner but is still bounded and checked:
// anything malformed is no verdict, which the caller treats as a scanner failure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::filter {

// rspamd's actions, mildest first (rspamd's metric actions).
enum class Action { NoAction, Greylist, AddHeader, RewriteSubject, SoftReject, Reject };

struct Symbol {
    std::string name;  // "R_SPF_ALLOW"
    double score = 0;
    std::vector<std::string> options;  // e.g. the domain a DKIM signature was checked for
};

// A header field a module of rspamd would add (its "milter" "add_headers").
struct AddedField {
    std::string name;
    std::string value;  // as rspamd folded it
};

struct Verdict {
    Action action = Action::NoAction;
    double score = 0;
    double required_score = 0;
    std::string smtp_message;            // messages.smtp_message: the text for the client
    std::optional<std::string> subject;  // the rewritten Subject (rewrite subject)
    std::vector<Symbol> symbols;
    // "dkim-signature": the values of the DKIM-Signature fields rspamd made for submitted
    // mail (dkim_signing), as it folded them.
    std::vector<std::string> dkim_signatures;
    // milter.add_headers: e.g. the ARC set the arc module sealed the message with.
    std::vector<AddedField> added_fields;

    const Symbol* symbol(std::string_view name) const;
};

// An answer larger than this is refused (a verdict is a few kilobytes).
inline constexpr std::size_t kMaxAnswerBytes = 1024 * 1024;

// The verdict in rspamd's JSON answer, or nullopt for an error answer ({"error": ...}), an
// unknown action or malformed JSON.
std::optional<Verdict> parse_verdict(std::string_view json);

// "no action", "add header" ...: rspamd's name of ACTION.
std::string_view action_name(Action action);

}  // namespace govmail::filter
