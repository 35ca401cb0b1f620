#pragma once

// HTML output: escaping of every value that reaches a page, and the page frame (language,
// title, the one style sheet, the navigation). Pages build their body from these pieces.

#include <string>
#include <string_view>

#include "portal/i18n.hpp"

namespace govmail::portal {

// TEXT with & < > " ' replaced by entities: safe in element content and quoted attributes.
std::string escape(std::string_view text);

// A whole page: TITLE (already plain text, escaped here) and BODY (HTML). SIGNED_IN shows the
// navigation and the sign-out form, which needs CSRF_TOKEN.
std::string page(
    Lang lang,
    std::string_view title,
    std::string_view body,
    bool signed_in,
    std::string_view csrf_token = {}
);

// The hidden CSRF field every POST form carries.
std::string csrf_field(std::string_view token);

// A labelled input: <label for=ID>LABEL</label><input id=ID name=ID type=TYPE ...>.
std::string input(
    std::string_view id,
    std::string_view label,
    std::string_view type,
    std::string_view value = {},
    std::string_view extra_attributes = {}
);

// A paragraph with role=alert (errors) or role=status (notices), or nothing when TEXT is empty.
std::string alert(std::string_view text);
std::string notice(std::string_view text);

}  // namespace govmail::portal
