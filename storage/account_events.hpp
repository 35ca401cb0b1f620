#pragma once

// Account lifecycle notifications across processes. When an account stops being allowed to
// log in (retired, deleted), the transaction that changes it sends
//
//     NOTIFY govmail_account, '<account_id>'
//
// (pg_notify, payload the decimal account id). PostgreSQL delivers it at commit, so a daemon
// that LISTENs on the channel learns only of committed changes; it then ends that account's
// open sessions (IMAP IDLE included) and re-reads the account before serving it again.

#include <string_view>

namespace govmail::storage {

inline constexpr std::string_view kAccountChannel = "govmail_account";

}  // namespace govmail::storage
