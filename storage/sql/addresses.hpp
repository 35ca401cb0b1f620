#pragma once

// Addresses beyond one account: aliases (mail_aliases, one target a row) and the lists of
// organisation units (unit_lists), see storage/address_store.hpp.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 alias, $2 target: adds the pair; returns nothing when it is there already.
inline constexpr Statement kAddAlias{
    "add_alias",
    "INSERT INTO mail_aliases (address, target) VALUES ($1, $2)"
    " ON CONFLICT (fold_name(address), fold_name(target)) DO NOTHING RETURNING address, target",
};
// $1 alias, $2 targets (text[]; empty: every target): removes them; returns the pairs removed.
inline constexpr Statement kRemoveAlias{
    "remove_alias",
    "DELETE FROM mail_aliases WHERE fold_name(address) = fold_name($1)"
    " AND (cardinality($2::text[]) = 0"
    "      OR fold_name(target) IN (SELECT fold_name(t) FROM unnest($2::text[]) t))"
    " RETURNING address, target",
};
// Every alias pair, by alias then target.
inline constexpr Statement kListAliases{
    "list_aliases",
    "SELECT address, target FROM mail_aliases ORDER BY fold_name(address), fold_name(target)",
};
// $1 address: whether it is an account, an alias or a unit list (the three share one space).
inline constexpr Statement kAddressInUse{
    "address_in_use",
    "SELECT EXISTS (SELECT 1 FROM accounts WHERE fold_name(address) = fold_name($1)),"
    " EXISTS (SELECT 1 FROM mail_aliases WHERE fold_name(address) = fold_name($1)),"
    " EXISTS (SELECT 1 FROM unit_lists WHERE fold_name(address) = fold_name($1))",
};

// $1 address, $2 the deepest chain followed, $3 at most this many rows: the alias graph
// walked from $1, one row a path: the name reached (folded), whether it closes a cycle, its
// depth, whether it is an alias itself, and the account of that address if any. Only $1
// itself when it is no alias.
inline constexpr Statement kExpandAlias{
    "expand_alias",
    "WITH RECURSIVE walk (name, path, cycle) AS ("
    "  SELECT fold_name($1::text), ARRAY[fold_name($1::text)], false"
    "  UNION ALL"
    "  SELECT fold_name(a.target), w.path || fold_name(a.target),"
    "         fold_name(a.target) = ANY (w.path)"
    "  FROM walk w JOIN mail_aliases a ON fold_name(a.address) = w.name"
    "  WHERE NOT w.cycle AND cardinality(w.path) <= $2)"
    " SELECT w.name, w.cycle, cardinality(w.path) - 1,"
    "  EXISTS (SELECT 1 FROM mail_aliases x WHERE fold_name(x.address) = w.name),"
    "  (SELECT c.account_id FROM accounts c WHERE fold_name(c.address) = w.name)"
    " FROM walk w LIMIT $3",
};

// $1 address: the unit list, one row a member (the unit's active accounts; one row with
// NULL member when it has none): address, unit, policy, member id, member address.
inline constexpr Statement kUnitListMembers{
    "unit_list_members",
    "SELECT l.address, l.org_unit, l.policy, a.account_id, a.address FROM unit_lists l"
    " LEFT JOIN accounts a ON a.org_unit = l.org_unit AND a.state = 'active'"
    " WHERE fold_name(l.address) = fold_name($1) ORDER BY a.account_id",
};
// $1 address, $2 unit, $3 policy: a new list; returns it.
inline constexpr Statement kAddUnitList{
    "add_unit_list",
    "INSERT INTO unit_lists (address, org_unit, policy) VALUES ($1, $2, $3)"
    " RETURNING address, org_unit, policy,"
    " (SELECT count(*) FROM accounts a WHERE a.org_unit = $2 AND a.state = 'active')",
};
// $1 address, $2 policy; returns the list.
inline constexpr Statement kSetUnitListPolicy{
    "set_unit_list_policy",
    "UPDATE unit_lists l SET policy = $2 WHERE fold_name(l.address) = fold_name($1)"
    " RETURNING l.address, l.org_unit, l.policy,"
    " (SELECT count(*) FROM accounts a WHERE a.org_unit = l.org_unit AND a.state = 'active')",
};
// $1 address; returns the list removed.
inline constexpr Statement kRemoveUnitList{
    "remove_unit_list",
    "DELETE FROM unit_lists l WHERE fold_name(l.address) = fold_name($1)"
    " RETURNING l.address, l.org_unit, l.policy, 0::bigint",
};
// Every list with its number of members, by address.
inline constexpr Statement kListUnitLists{
    "list_unit_lists",
    "SELECT l.address, l.org_unit, l.policy,"
    " (SELECT count(*) FROM accounts a WHERE a.org_unit = l.org_unit AND a.state = 'active')"
    " FROM unit_lists l ORDER BY fold_name(l.address)",
};

}  // namespace govmail::storage::sql
