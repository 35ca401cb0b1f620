#include "storage/account_admin_store.hpp"

#include "storage/account_state.hpp"
#include "storage/audited.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/account_admin.hpp"

namespace govmail::storage {

namespace {

AccountDetails read_details(const PgResult& r, int row) {
    AccountDetails d;
    d.account.id = r.int64(row, 0);
    d.account.address = r.text(row, 1);
    d.account.state = parse_account_state(r.text(row, 2)).value_or(AccountState::Locked);
    d.account.display_name = r.text(row, 3);
    d.service = r.text(row, 4) == "service";
    d.has_password = r.boolean(row, 5);
    d.created_at = r.int64(row, 6);
    d.org_unit = r.text(row, 7);
    d.employee_no = r.optional_text(row, 8);
    return d;
}

}  // namespace

AccountAdminStore::Task<std::vector<AccountDetails>> AccountAdminStore::list(
    std::optional<AccountState> state, std::optional<std::string> unit
) {
    std::optional<std::string> name;
    if (state) {
        name = std::string(account_state_name(*state));
    }
    co_return co_await run_all_rows(pool_, sql::kListAccounts, Params(name, unit), read_details);
}

AccountAdminStore::Task<AccountDetails> AccountAdminStore::details(std::string_view address) {
    co_return co_await run_one_row(pool_, sql::kAccountDetails, Params(address), read_details);
}

AccountAdminStore::Task<AccountDetails> AccountAdminStore::set_state(
    AccountId account, AccountState state, const AuditEntry& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kSetAccountState, Params(account, account_state_name(state)), read_details,
        [&](const AccountDetails&) { return audit; }
    );
}

}  // namespace govmail::storage
