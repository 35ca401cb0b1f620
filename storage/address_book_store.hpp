#pragma once

// A user's address book: entries the user added and entries copied from the organisation's
// directory (people with an active account), which mailadm exports as CSV.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct AddressBookEntry {
    std::int64_t id = 0;
    std::string name;
    std::string email;
    std::string organisation;
    std::optional<std::string> office_phone;
    std::optional<std::string> mobile_phone;
    std::string source = "user";  // "user" or "directory"
};

class AddressBookStore {
public:
    explicit AddressBookStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Adds a user entry to ACCOUNT's book; returns its id.
    Task<std::int64_t> add(
        AccountId account, const AddressBookEntry& entry, const AuditEntry& audit
    );
    // ACCOUNT's entries ordered by name.
    Task<std::vector<AddressBookEntry>> list(AccountId account);
    // Replaces ACCOUNT's directory entries with the directory's people who have an active
    // account, in one transaction; returns how many were imported.
    Task<std::int64_t> import_directory(AccountId account, const AuditOf<std::int64_t>& audit);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
