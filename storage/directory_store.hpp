#pragma once

// The organisation directory: applying a day's export in one transaction (people added,
// transferred, changed; those who left retired with their accounts, those back reinstated
// when so configured; refused beyond the retire limits) and looking people up for signup
// checks. Accounts linked to a person follow the directory's name and unit.

#include <boost/asio/awaitable.hpp>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "rules/directory_diff.hpp"
#include "rules/directory_diff_listing.hpp"
#include "rules/directory_retire_guard.hpp"
#include "storage/audited.hpp"
#include "storage/lifecycle_store.hpp"
#include "storage/pg/connection.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// The directory's records and its diff are the rules' types (rules/directory_diff.hpp); the
// store speaks them.
using rules::DirectoryChange;
using rules::DirectoryDiff;
using rules::DirectoryPerson;
using rules::MailIdConflict;

struct SyncOptions {
    RetireeReply reply;                // for the accounts of people who left
    rules::RetireLimits limits;        // a sync retiring more is refused...
    bool force = false;                // ...unless forced
    bool reinstate_returning = false;  // people back in the directory get their accounts back
    bool dry_run = false;
};

struct SyncReport {
    DirectoryDiff diff;
    std::vector<DirectoryChange> changes;  // the diff, person by person
    // It retires more than the limits allow: refused unless forced.
    std::optional<rules::RetireGuardBreach> over_limit;
    std::vector<Account> retired_accounts;     // locked because their person left
    std::vector<Account> reinstated_accounts;  // back with their person (reinstate_returning)
    // Still retired though their person is back (reinstate_returning off).
    std::vector<Account> returning_retired_accounts;
    // Accounts whose person's own mobile number ended: the directory's number changed.
    std::vector<Account> user_mobile_ended_accounts;
    // Accounts whose person's mail ID changed: now at the new address, the old one an alias.
    std::vector<Account> renamed_accounts;
    // False for a dry run, when diff.conflicts is not empty, and when over_limit is set
    // without force.
    bool applied = false;
};

// Makes ACCOUNT the account of person EMPLOYEE_NO (with their name and unit), inside the
// caller's transaction. NotFound when either is missing.
boost::asio::awaitable<Result<void>> link_account(
    Connection& conn, AccountId account, std::string employee_no
);

class DirectoryStore {
public:
    explicit DirectoryStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Applies the whole export INCOMING (see diff_directory) unless a dry run, a mail ID
    // conflict, or retirements beyond the limits unforced; syncs run one at a time.
    // An applied sync writes the entries AUDITS makes of its report in its own transaction.
    Task<SyncReport> sync(
        std::vector<DirectoryPerson> incoming,
        const SyncOptions& options,
        const AuditsOf<SyncReport>& audits
    );
    // NotFound when nobody has the number, mail ID or certificate identity.
    Task<DirectoryPerson> find(std::string_view employee_no);
    Task<DirectoryPerson> find_by_mail_id(std::string_view mail_id);
    // Someone still in the directory whose certificate identity is SUBJECT or COMMON_NAME.
    Task<DirectoryPerson> find_by_certificate(
        std::string_view subject, std::string_view common_name
    );
    Task<void> link(AccountId account, std::string_view employee_no);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
