// Parsing rspamd's /checkv2 answer (filter/verdict.hpp) with nlohmann::json, without
// exceptions: a malformed answer is no verdict.

#include "filter/verdict.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace govmail::filter {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<Action, std::string_view>, 6> kActionNames{{
    {Action::NoAction, "no action"},
    {Action::Greylist, "greylist"},
    {Action::AddHeader, "add header"},
    {Action::RewriteSubject, "rewrite subject"},
    {Action::SoftReject, "soft reject"},
    {Action::Reject, "reject"},
}};

std::optional<Action> to_action(std::string_view name) {
    for (const auto& [action, text] : kActionNames) {
        if (text == name) {
            return action;
        }
    }
    return std::nullopt;
}

double number_or_zero(const Json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_number() ? found->get<double>() : 0.0;
}

std::optional<Symbol> to_symbol(const std::string& key, const Json& value) {
    if (!value.is_object()) {
        return std::nullopt;
    }
    Symbol symbol{key, number_or_zero(value, "score"), {}};
    const auto options = value.find("options");
    if (options != value.end() && options->is_array()) {
        for (const auto& option : *options) {
            if (option.is_string()) {
                symbol.options.push_back(option.get<std::string>());
            }
        }
    }
    return symbol;
}

// A string, or an array of strings (one per signature), as rspamd gives "dkim-signature".
std::vector<std::string> strings_of(const Json& answer, const char* key) {
    std::vector<std::string> out;
    const auto found = answer.find(key);
    if (found == answer.end()) {
        return out;
    }
    if (found->is_string()) {
        out.push_back(found->get<std::string>());
    }
    if (found->is_array()) {
        for (const auto& item : *found) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

// A field value of milter.add_headers: a string, {"value": ..., "order": n}, or an array of
// those (one per field of that name).
void add_field_values(const std::string& name, const Json& value, std::vector<AddedField>& out) {
    if (value.is_string()) {
        out.push_back(AddedField{name, value.get<std::string>()});
    } else if (value.is_object()) {
        const auto text = value.find("value");
        if (text != value.end() && text->is_string()) {
            out.push_back(AddedField{name, text->get<std::string>()});
        }
    } else if (value.is_array()) {
        for (const auto& item : value) {
            if (!item.is_array()) {
                add_field_values(name, item, out);
            }
        }
    }
}

std::vector<AddedField> added_fields(const Json& answer) {
    std::vector<AddedField> out;
    const auto milter = answer.find("milter");
    if (milter == answer.end() || !milter->is_object()) {
        return out;
    }
    const auto add = milter->find("add_headers");
    if (add != milter->end() && add->is_object()) {
        for (const auto& [name, value] : add->items()) {
            add_field_values(name, value, out);
        }
    }
    return out;
}

}  // namespace

const Symbol* Verdict::symbol(std::string_view name) const {
    for (const auto& s : symbols) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

std::string_view action_name(Action action) {
    for (const auto& [candidate, text] : kActionNames) {
        if (candidate == action) {
            return text;
        }
    }
    return "no action";
}

std::optional<Verdict> parse_verdict(std::string_view json) {
    if (json.size() > kMaxAnswerBytes) {
        return std::nullopt;
    }
    const auto answer = Json::parse(json, nullptr, false);
    if (answer.is_discarded() || !answer.is_object() || answer.contains("error")) {
        return std::nullopt;
    }
    const auto action_field = answer.find("action");
    if (action_field == answer.end() || !action_field->is_string()) {
        return std::nullopt;
    }
    const auto action = to_action(action_field->get<std::string>());
    if (!action) {
        return std::nullopt;
    }
    Verdict verdict;
    verdict.action = *action;
    verdict.score = number_or_zero(answer, "score");
    verdict.required_score = number_or_zero(answer, "required_score");
    if (const auto subject = answer.find("subject");
        subject != answer.end() && subject->is_string()) {
        verdict.subject = subject->get<std::string>();
    }
    if (const auto messages = answer.find("messages");
        messages != answer.end() && messages->is_object()) {
        const auto text = messages->find("smtp_message");
        if (text != messages->end() && text->is_string()) {
            verdict.smtp_message = text->get<std::string>();
        }
    }
    if (const auto symbols = answer.find("symbols");
        symbols != answer.end() && symbols->is_object()) {
        for (const auto& [name, value] : symbols->items()) {
            if (auto symbol = to_symbol(name, value)) {
                verdict.symbols.push_back(std::move(*symbol));
            }
        }
    }
    verdict.dkim_signatures = strings_of(answer, "dkim-signature");
    verdict.added_fields = added_fields(answer);
    return verdict;
}

}  // namespace govmail::filter
