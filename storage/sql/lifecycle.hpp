#pragma once

// Statements that end an account's working life: retirement (locked out, certificates
// revoked, away reply on), its undoing for a person back in the directory, and deletion with
// everything it owned. The trigger on accounts tells
// the daemons to end the account's sessions (storage/account_events.hpp).

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 bigint[] of accounts: those not yet retired become retired.
inline constexpr Statement kRetireAccounts{
    "retire_accounts",
    "UPDATE accounts SET state = 'retired', updated_at = now()"
    " WHERE account_id = ANY ($1::bigint[]) AND state <> 'retired'"
    " RETURNING account_id, address, state, display_name",
};
// $1 bigint[] of accounts.
inline constexpr Statement kRevokeAccountsCertificates{
    "revoke_accounts_certificates",
    "UPDATE cert_bindings SET revoked_at = now()"
    " WHERE account_id = ANY ($1::bigint[]) AND revoked_at IS NULL",
};
// $1 bigint[] of accounts, $2 subject, $3 body: the away reply on, for every sender, with
// no end date.
inline constexpr Statement kRetireeAutoreply{
    "retiree_autoreply",
    "INSERT INTO autoreply_settings (account_id, enabled, subject, body, scope)"
    " SELECT id, true, $2, $3, 'all' FROM unnest($1::bigint[]) AS id"
    " ON CONFLICT (account_id) DO UPDATE SET enabled = true, subject = EXCLUDED.subject,"
    " body = EXCLUDED.body, starts_on = NULL, ends_on = NULL, scope = 'all'",
};

// $1 account: the bodies its messages and queued mail use (hex), to check after deletion.
inline constexpr Statement kAccountBodies{
    "account_bodies",
    "SELECT encode(body_hash, 'hex') FROM mailbox_messages WHERE account_id = $1"
    " UNION SELECT encode(body_hash, 'hex') FROM outbound_queue WHERE account_id = $1",
};
// $1 account: files of its exports, for mailadm to remove.
inline constexpr Statement kAccountExportFiles{
    "account_export_files",
    "SELECT file_path FROM exports WHERE account_id = $1 AND file_path IS NOT NULL",
};
// $1 account: its queued outbound mail (recipients go with it), which has no foreign key.
inline constexpr Statement kDeleteAccountQueue{
    "delete_account_queue",
    "DELETE FROM outbound_queue WHERE account_id = $1",
};
// $1 account: the account, cascading to mailboxes, messages, bindings, app passwords, away
// settings, exports and address book.
inline constexpr Statement kDeleteAccount{
    "delete_account",
    "DELETE FROM accounts WHERE account_id = $1 RETURNING address, display_name, org_unit",
};

// $1 bigint[] of accounts: those retired become active again (sessions may start again).
// Certificate bindings stay revoked: a fresh certificate login or signup approval binds anew.
inline constexpr Statement kReinstateAccounts{
    "reinstate_accounts",
    "UPDATE accounts SET state = 'active', updated_at = now()"
    " WHERE account_id = ANY ($1::bigint[]) AND state = 'retired'"
    " RETURNING account_id, address, state, display_name",
};
// $1 bigint[] of accounts: the retiree away reply retirement switched on goes off.
inline constexpr Statement kEndRetireeAutoreply{
    "end_retiree_autoreply",
    "UPDATE autoreply_settings SET enabled = false WHERE account_id = ANY ($1::bigint[])",
};
}  // namespace govmail::storage::sql
