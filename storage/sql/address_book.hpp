#pragma once

// Per-account address books: entries the user added and entries copied from the
// organisation's directory (replaced as a whole at each import).

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 account, $2 name, $3 email, $4 organisation, $5 office phone, $6 mobile phone: a
// user-added entry; returns its id.
inline constexpr Statement kAddAddressBookEntry{
    "add_address_book_entry",
    "INSERT INTO address_book"
    " (account_id, name, email, organisation, office_phone, mobile_phone, source)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'user') RETURNING entry_id",
};
// $1 account: its entries, ordered by name then email.
inline constexpr Statement kListAddressBook{
    "list_address_book",
    "SELECT entry_id, name, email, organisation, office_phone, mobile_phone, source"
    " FROM address_book WHERE account_id = $1 ORDER BY name, email, entry_id",
};
// $1 account: its directory entries removed (before a new import).
inline constexpr Statement kDeleteDirectoryEntries{
    "delete_directory_entries",
    "DELETE FROM address_book WHERE account_id = $1 AND source = 'directory'",
};
// $1 account: one directory entry for every person of the directory with an active
// account; returns how many.
inline constexpr Statement kImportDirectoryEntries{
    "import_directory_entries",
    "INSERT INTO address_book"
    " (account_id, name, email, organisation, office_phone, mobile_phone, source)"
    " SELECT $1, p.name, a.address, p.org_unit, p.office_phone, p.mobile_phone, 'directory'"
    " FROM directory_people p JOIN accounts a USING (employee_no)"
    " WHERE NOT p.retired AND a.state = 'active' AND a.kind = 'person'"
    " ORDER BY p.name, a.address RETURNING entry_id",
};

}  // namespace govmail::storage::sql
