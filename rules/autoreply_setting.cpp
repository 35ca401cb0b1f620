#include "rules/autoreply_setting.hpp"

namespace govmail::rules {

std::string_view to_string(AutoReplyScope scope) {
    return scope == AutoReplyScope::Organisation ? "organisation" : "all";
}

std::optional<AutoReplyScope> parse_autoreply_scope(std::string_view text) {
    if (text == "all") {
        return AutoReplyScope::All;
    }
    if (text == "organisation") {
        return AutoReplyScope::Organisation;
    }
    return std::nullopt;
}

}  // namespace govmail::rules
