// Aliases and unit lists (see address_store.hpp).

#include "storage/address_store.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/addresses.hpp"

namespace govmail::storage {
namespace {

constexpr std::array<std::pair<ListPolicy, std::string_view>, 3> kPolicyNames{{
    {ListPolicy::Anyone, "anyone"},
    {ListPolicy::Organisation, "organisation"},
    {ListPolicy::Members, "members"},
}};

AliasPair read_pair(const PgResult& r, int row) {
    return AliasPair{std::string(r.text(row, 0)), std::string(r.text(row, 1))};
}

UnitList read_list(const PgResult& r, int row) {
    return UnitList{
        std::string(r.text(row, 0)), std::string(r.text(row, 1)),
        parse_list_policy(r.text(row, 2)).value_or(ListPolicy::Organisation), r.int64(row, 3)};
}

// Exists when ADDRESS is already an account, an alias (unless ALIAS_OK) or a unit list.
boost::asio::awaitable<Result<void>> check_address_free(
    Connection& conn, const std::string& address, bool alias_ok
) {
    auto used = co_await conn.execute(sql::kAddressInUse, Params(address));
    if (!used) {
        co_return used.error();
    }
    if (used->boolean(0, 0) || (!alias_ok && used->boolean(0, 1)) || used->boolean(0, 2)) {
        co_return make_error_code(Errc::Exists);
    }
    co_return Result<void>{};
}

// Runs STMT and appends every row it returns to OUT, with its audit entry.
template <class Row, class Read>
boost::asio::awaitable<Result<void>> collect_audited(
    Connection& conn,
    const Statement& stmt,
    const Params& params,
    Read read,
    const AuditOf<Row>& audit,
    std::vector<Row>& out
) {
    auto r = co_await conn.execute(stmt, params);
    if (!r) {
        co_return r.error();
    }
    for (int row = 0; row < r->rows(); ++row) {
        out.push_back(read(*r, row));
        if (auto appended = co_await append_audit(conn, audit(out.back())); !appended) {
            co_return appended.error();
        }
    }
    co_return Result<void>{};
}

}  // namespace

std::string_view to_string(ListPolicy policy) {
    for (const auto& [value, name] : kPolicyNames) {
        if (value == policy) {
            return name;
        }
    }
    return "organisation";
}

std::optional<ListPolicy> parse_list_policy(std::string_view text) {
    for (const auto& [value, name] : kPolicyNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

AddressStore::Task<AliasExpansion> AddressStore::expand_alias(
    std::string_view address, std::size_t max_depth, std::size_t max_paths
) {
    auto walked =
        co_await run_statement(pool_, sql::kExpandAlias, Params(address, max_depth, max_paths + 1));
    if (!walked) {
        co_return walked.error();
    }
    const auto& r = *walked;
    // Row 0 is ADDRESS itself.
    if (r.rows() == 0 || !r.boolean(0, 3)) {
        co_return make_error_code(Errc::NotFound);
    }
    AliasExpansion out;
    out.too_deep = static_cast<std::size_t>(r.rows()) > max_paths;
    std::set<AccountId> accounts;
    std::set<std::string> others;
    for (int row = 1; row < r.rows(); ++row) {
        const bool is_alias = r.boolean(row, 3);
        if (r.boolean(row, 1)) {
            out.loop = true;
        } else if (is_alias && static_cast<std::size_t>(r.int64(row, 2)) >= max_depth) {
            out.too_deep = true;  // its targets were not followed
        } else if (!r.is_null(row, 4)) {
            if (accounts.insert(r.int64(row, 4)).second) {
                out.accounts.push_back(r.int64(row, 4));
            }
        } else if (!is_alias) {
            std::string name(r.text(row, 0));
            if (others.insert(name).second) {
                out.others.push_back(std::move(name));
            }
        }
    }
    co_return out;
}

AddressStore::Task<std::vector<AliasPair>> AddressStore::add_alias(
    std::string address, std::vector<std::string> targets, const AuditOf<AliasPair>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<AliasPair>> {
        if (auto free = co_await check_address_free(conn, address, true); !free) {
            co_return free.error();
        }
        std::vector<AliasPair> added;
        for (const auto& target : targets) {
            auto r = co_await collect_audited(
                conn, sql::kAddAlias, Params(address, target), read_pair, audit, added
            );
            if (!r) {
                co_return r.error();
            }
        }
        co_return added;
    });
}

AddressStore::Task<std::vector<AliasPair>> AddressStore::remove_alias(
    std::string address, std::vector<std::string> targets, const AuditOf<AliasPair>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<AliasPair>> {
        std::vector<AliasPair> removed;
        auto r = co_await collect_audited(
            conn, sql::kRemoveAlias, Params(address, targets), read_pair, audit, removed
        );
        if (!r) {
            co_return r.error();
        }
        if (removed.empty()) {
            co_return make_error_code(Errc::NotFound);
        }
        co_return removed;
    });
}

AddressStore::Task<std::vector<AliasPair>> AddressStore::list_aliases() {
    co_return co_await run_all_rows(pool_, sql::kListAliases, Params{}, read_pair);
}

AddressStore::Task<UnitListMembers> AddressStore::unit_list_members(std::string_view address) {
    auto r = co_await run_statement(pool_, sql::kUnitListMembers, Params(address));
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        co_return make_error_code(Errc::NotFound);
    }
    UnitListMembers out;
    out.list = UnitList{
        std::string(r->text(0, 0)), std::string(r->text(0, 1)),
        parse_list_policy(r->text(0, 2)).value_or(ListPolicy::Organisation), 0};
    for (int row = 0; row < r->rows(); ++row) {
        if (!r->is_null(row, 3)) {
            out.accounts.push_back(Account{
                r->int64(row, 3), std::string(r->text(row, 4)), AccountState::Active, {}});
        }
    }
    out.list.members = static_cast<std::int64_t>(out.accounts.size());
    co_return out;
}

AddressStore::Task<UnitList> AddressStore::add_unit_list(
    std::string address, std::string unit, ListPolicy policy, const AuditOf<UnitList>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<UnitList> {
        if (auto free = co_await check_address_free(conn, address, false); !free) {
            co_return free.error();
        }
        std::vector<UnitList> added;
        auto r = co_await collect_audited(
            conn, sql::kAddUnitList, Params(address, unit, to_string(policy)), read_list, audit,
            added
        );
        if (!r) {
            co_return r.error();
        }
        co_return added.front();
    });
}

AddressStore::Task<UnitList> AddressStore::set_unit_list_policy(
    std::string address, ListPolicy policy, const AuditOf<UnitList>& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kSetUnitListPolicy, Params(address, to_string(policy)), read_list, audit
    );
}

AddressStore::Task<UnitList> AddressStore::remove_unit_list(
    std::string address, const AuditOf<UnitList>& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kRemoveUnitList, Params(address), read_list, audit
    );
}

AddressStore::Task<std::vector<UnitList>> AddressStore::list_unit_lists() {
    co_return co_await run_all_rows(pool_, sql::kListUnitLists, Params{}, read_list);
}

}  // namespace govmail::storage
