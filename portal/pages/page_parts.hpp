#pragma once

// What the signed-in form pages share: the page frame with the navigation and the session's
// CSRF token, the temporary-error page, dates as users read them, and the id a row's form
// posts back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "portal/form.hpp"
#include "portal/http.hpp"
#include "portal/router.hpp"

namespace govmail::portal {

// The signed-in page TITLE with BODY (HTML), answered with STATUS.
Response signed_in_page(const Visit& visit, Msg title, std::string_view body, unsigned status);

// The signed-in page TITLE saying that a temporary error occurred (503).
Response temporary_error_page(const Visit& visit, Msg title);

// UNIX_SECONDS in the configured zone (time_zone.hpp) as "2026-11-24 03:44 KST", or "never"
// in LANG when there is no time.
std::string format_time(std::optional<std::int64_t> unix_seconds, Lang lang);

// How the portal shows the mailbox NAME in LANG: the standard folders every account gets
// (INBOX, Sent, Drafts, Trash, Junk, Archive) by their Korean names; IMAP keeps the
// standard names, and every other folder is shown as named.
std::string folder_display_name(Lang lang, std::string_view name);

// The non-negative decimal number in field NAME of FORM, or nothing.
std::optional<std::int64_t> id_field(const Fields& form, std::string_view name);

}  // namespace govmail::portal
