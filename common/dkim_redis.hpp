#pragma once

// Where DKIM signing keys live in rspamd's Redis: one hash of private keys, field
// "SELECTOR.DOMAIN" (rspamd's dkim_signing key_prefix), and one hash of the selector that
// signs for each domain, field "DOMAIN" (its selector_prefix). `mailadm dkim` writes both;
// rspamd reads them at every signature, so a rotation takes effect with the next message.

#include <string_view>

namespace govmail {

inline constexpr std::string_view kDkimKeysHash = "govmail_dkim_keys";
inline constexpr std::string_view kDkimSelectorsHash = "govmail_dkim_selectors";

}  // namespace govmail
