#pragma once

// What administrators see and change of accounts beyond the mailstore's lookups: listing
// with state and kind, and moving an account between states.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct AccountDetails {
    Account account;
    bool service = false;
    bool has_password = false;
    std::int64_t created_at = 0;  // unix seconds
    std::string org_unit;
    std::optional<std::string> employee_no;  // the directory person it belongs to
};

class AccountAdminStore {
public:
    explicit AccountAdminStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Every account (in STATE, in UNIT when given), ordered by address.
    Task<std::vector<AccountDetails>> list(
        std::optional<AccountState> state, std::optional<std::string> unit
    );
    // NotFound: no account with ADDRESS (any case).
    Task<AccountDetails> details(std::string_view address);
    // AUDIT is written in the changing transaction.
    Task<AccountDetails> set_state(AccountId account, AccountState state, const AuditEntry& audit);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
