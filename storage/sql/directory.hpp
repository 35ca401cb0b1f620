#pragma once

// Statements on the organisation directory (directory_people) and the accounts linked to
// its people. Optional text travels as '' in the text[] columns of a sync and is stored as
// NULL.

#include <string_view>

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Columns in DirectoryPerson order, with the address of the person's account.
#define GOVMAIL_PERSON_COLUMNS                                                              \
    " p.employee_no, p.name, p.org_unit, p.position, p.mail_id, p.office_phone,"            \
    " p.mobile_phone, p.cert_identity, p.retired, extract(epoch FROM p.synced_at)::bigint," \
    " (SELECT a.address FROM accounts a WHERE a.employee_no = p.employee_no"                \
    "  ORDER BY a.account_id LIMIT 1), p.user_mobile_phone "

// Serialises syncs; readers (signup checks, directory show) are not blocked.
inline constexpr std::string_view kLockDirectory =
    "LOCK TABLE directory_people IN SHARE ROW EXCLUSIVE MODE";

inline constexpr Statement kListPeople{
    "list_people",
    "SELECT" GOVMAIL_PERSON_COLUMNS "FROM directory_people p ORDER BY p.employee_no",
};
inline constexpr Statement kFindPerson{
    "find_person",
    "SELECT" GOVMAIL_PERSON_COLUMNS "FROM directory_people p WHERE p.employee_no = $1",
};
inline constexpr Statement kFindPersonByMailId{
    "find_person_by_mail_id",
    "SELECT" GOVMAIL_PERSON_COLUMNS
    "FROM directory_people p WHERE fold_name(p.mail_id) = fold_name($1)",
};
// $1 the certificate's subject, $2 its common name: the person still in the directory whose
// certificate identity is either.
inline constexpr Statement kFindPersonByCertificate{
    "find_person_by_certificate",
    "SELECT" GOVMAIL_PERSON_COLUMNS
    "FROM directory_people p"
    " WHERE p.cert_identity IN ($1, $2) AND NOT p.retired ORDER BY p.employee_no LIMIT 1",
};

// $1..$8 text[] of employee number, name, unit, position, mail ID, office phone, mobile
// phone, certificate identity: adds those people or brings them up to date (back in the
// directory when they had left).
inline constexpr Statement kUpsertPeople{
    "upsert_people",
    "INSERT INTO directory_people (employee_no, name, org_unit, position, mail_id,"
    " office_phone, mobile_phone, cert_identity, retired, synced_at)"
    " SELECT e, n, u, p, NULLIF(m, ''), NULLIF(o, ''), NULLIF(mo, ''), NULLIF(c, ''), false, now()"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    " $7::text[], $8::text[]) AS t(e, n, u, p, m, o, mo, c)"
    " ON CONFLICT (employee_no) DO UPDATE SET name = EXCLUDED.name,"
    " org_unit = EXCLUDED.org_unit, position = EXCLUDED.position, mail_id = EXCLUDED.mail_id,"
    " office_phone = EXCLUDED.office_phone, mobile_phone = EXCLUDED.mobile_phone,"
    " cert_identity = EXCLUDED.cert_identity, retired = false, synced_at = now()",
};
// $1 text[] of employee numbers: their accounts take the directory's name and unit.
inline constexpr Statement kFollowDirectory{
    "follow_directory",
    "UPDATE accounts a SET display_name = p.name, org_unit = p.org_unit, updated_at = now()"
    " FROM directory_people p WHERE a.employee_no = p.employee_no"
    " AND p.employee_no = ANY ($1::text[])"
    " AND (a.display_name, a.org_unit) IS DISTINCT FROM (p.name, p.org_unit)",
};
// $1 text[] of employee numbers: the accounts of those whose mail ID changed take the new one
// (in the same domain), unless an account, alias or unit list has that address already; the
// old address stays, an alias to the new one (migration 22). Returns the accounts renamed.
inline constexpr Statement kFollowMailId{
    "follow_mail_id",
    "WITH moved AS (SELECT a.account_id, a.address AS old_address,"
    "   p.mail_id || '@' || substring(a.address FROM '[^@]*$') AS new_address"
    "  FROM accounts a JOIN directory_people p ON p.employee_no = a.employee_no"
    "  WHERE p.employee_no = ANY ($1::text[]) AND coalesce(p.mail_id, '') <> ''"
    "   AND fold_name(substring(a.address FROM '^(.*)@[^@]*$')) <> fold_name(p.mail_id)),"
    " free AS (SELECT m.* FROM moved m"
    "  WHERE NOT EXISTS (SELECT 1 FROM accounts x"
    "                    WHERE fold_name(x.address) = fold_name(m.new_address))"
    "   AND NOT EXISTS (SELECT 1 FROM mail_aliases x"
    "                   WHERE fold_name(x.address) = fold_name(m.new_address))"
    "   AND NOT EXISTS (SELECT 1 FROM unit_lists x"
    "                   WHERE fold_name(x.address) = fold_name(m.new_address))),"
    " renamed AS (UPDATE accounts a SET address = f.new_address, updated_at = now()"
    "  FROM free f WHERE a.account_id = f.account_id"
    "  RETURNING a.account_id, a.address, a.state, a.display_name, f.old_address),"
    " kept AS (INSERT INTO mail_aliases (address, target)"
    "  SELECT old_address, address FROM renamed ON CONFLICT DO NOTHING)"
    " SELECT account_id, address, state, display_name, old_address FROM renamed",
};
// $1 text[] of employee numbers: the mobile numbers they set in the portal end (the trigger
// of migration 11 ends their trusts); returns their accounts.
inline constexpr Statement kEndUserMobiles{
    "end_user_mobiles",
    "WITH ended AS (UPDATE directory_people SET user_mobile_phone = NULL"
    " WHERE employee_no = ANY ($1::text[]) AND user_mobile_phone IS NOT NULL"
    " RETURNING employee_no)"
    " SELECT a.account_id, a.address, a.state, a.display_name FROM accounts a"
    " JOIN ended USING (employee_no) ORDER BY a.account_id",
};
// $1 text[] of employee numbers: they left; returns their accounts not yet retired.
inline constexpr Statement kMarkLeft{
    "mark_left",
    "WITH left_people AS (UPDATE directory_people SET retired = true, synced_at = now()"
    " WHERE employee_no = ANY ($1::text[]) RETURNING employee_no)"
    " SELECT a.account_id FROM accounts a JOIN left_people USING (employee_no)"
    " WHERE a.state <> 'retired' ORDER BY a.account_id",
};
// $1 text[] of employee numbers: their retired accounts.
inline constexpr Statement kRetiredAccountsOf{
    "retired_accounts_of",
    "SELECT account_id, address, state, display_name FROM accounts"
    " WHERE employee_no = ANY ($1::text[]) AND state = 'retired' ORDER BY account_id",
};
// $1 account, $2 employee number: the account becomes that person's, with their name and
// unit. No row when either is missing.
inline constexpr Statement kLinkAccount{
    "link_account",
    "UPDATE accounts a SET employee_no = p.employee_no, display_name = p.name,"
    " org_unit = p.org_unit, updated_at = now() FROM directory_people p"
    " WHERE a.account_id = $1 AND p.employee_no = $2 RETURNING a.account_id",
};

#undef GOVMAIL_PERSON_COLUMNS

}  // namespace govmail::storage::sql
