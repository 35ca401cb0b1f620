#pragma once

// Addresses beyond one account (issue 24), resolved at RCPT time and managed by mailadm:
// - aliases: an address with one or more targets, each an account, another alias or an
//   address elsewhere. expand_alias() follows alias to alias up to a depth, and reports a
//   cycle rather than following it, so smtpd refuses a loop cleanly.
// - unit lists: an address the administrator gives an organisation unit of the directory;
//   its members are the unit's active accounts at delivery (accounts follow the directory's
//   unit at every sync), and its posting policy says who may write to it.
// Accounts, aliases and lists share one address space: adding an alias or a list at an
// address that is one of the others is refused (Errc::Exists).

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct AliasPair {
    std::string address;
    std::string target;
};

// Where an alias leads: its final targets, with duplicates removed.
struct AliasExpansion {
    std::vector<AccountId> accounts;  // targets that are accounts, in order of discovery
    std::vector<std::string> others;  // targets that are neither account nor alias (folded)
    bool loop = false;                // a chain comes back to an alias it passed
    bool too_deep = false;            // a chain is longer than the depth allowed
};

enum class ListPolicy { Anyone, Organisation, Members };
std::string_view to_string(ListPolicy policy);
std::optional<ListPolicy> parse_list_policy(std::string_view text);

struct UnitList {
    std::string address;
    std::string unit;
    ListPolicy policy = ListPolicy::Organisation;
    std::int64_t members = 0;  // active accounts of the unit
};

struct UnitListMembers {
    UnitList list;
    std::vector<Account> accounts;  // the unit's active accounts (display name not read)
};

class AddressStore {
public:
    explicit AddressStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // NotFound when ADDRESS is no alias. Follows chains at most MAX_DEPTH aliases deep and
    // reads at most MAX_PATHS paths (too_deep beyond either).
    Task<AliasExpansion> expand_alias(
        std::string_view address, std::size_t max_depth, std::size_t max_paths
    );
    // Adds the pairs of ADDRESS and each of TARGETS that are not there yet; returns those
    // added. Exists when ADDRESS is an account or a unit list.
    Task<std::vector<AliasPair>> add_alias(
        std::string address, std::vector<std::string> targets, const AuditOf<AliasPair>& audit
    );
    // Removes TARGETS of ADDRESS (all of them when empty); NotFound when none was there.
    Task<std::vector<AliasPair>> remove_alias(
        std::string address, std::vector<std::string> targets, const AuditOf<AliasPair>& audit
    );
    Task<std::vector<AliasPair>> list_aliases();

    // NotFound when ADDRESS is no unit list.
    Task<UnitListMembers> unit_list_members(std::string_view address);
    // Exists when ADDRESS is an account, an alias or a list, or UNIT has a list already.
    Task<UnitList> add_unit_list(
        std::string address, std::string unit, ListPolicy policy, const AuditOf<UnitList>& audit
    );
    Task<UnitList> set_unit_list_policy(
        std::string address, ListPolicy policy, const AuditOf<UnitList>& audit
    );
    Task<UnitList> remove_unit_list(std::string address, const AuditOf<UnitList>& audit);
    Task<std::vector<UnitList>> list_unit_lists();

private:
    Pool& pool_;
};

}  // namespace govmail::storage
