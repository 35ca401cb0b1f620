#pragma once

// What the portal shows for a refused or unfinished login. The authenticator answers every
// client in English (mail clients show its text as is); on the portal's pages that text is
// shown in the page's language: the SMS-code instructions are rewritten for the portal's code
// page, and the other known reasons have their Korean translation.

#include <string>
#include <string_view>

#include "portal/i18n.hpp"

namespace govmail::portal {

// TEXT (a LoginResult's failure_text) in LANG: translated when known, else as given.
std::string login_text(Lang lang, std::string_view text);

}  // namespace govmail::portal
