#pragma once

// The one Sieve script an account may keep through ManageSieve (RFC 5804), stored next to
// its away reply (storage/autoreply_store.hpp). The away reply is the one rule every surface
// reads; the active script always says the same: activating a script writes the away reply
// it describes (its text kept as uploaded), deactivating switches the reply off, and setting
// the reply in the portal or with mailadm rewrites the script from it (AutoReplyStore::set).
// Parsing Sieve is not storage's business (managesieve/proto/sieve_vacation.hpp).

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct SieveScript {
    std::string name;
    std::string content;
    bool active = false;  // active and the away reply it wrote is on
};

class SieveStore {
public:
    explicit SieveStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // NotFound when the account has no script.
    Task<SieveScript> find(AccountId account);
    // Stores the script NAME; Exists when the account has a script of another name.
    Task<void> put(AccountId account, std::string_view name, std::string_view content);
    // Marks the script active and writes SETTING's subject, body, days and period as the
    // account's away reply, switched on. NotFound without a script.
    Task<void> activate(const AutoReplySetting& setting);
    // No script active; the away reply is off.
    Task<void> deactivate(AccountId account);
    // NotFound when the account has no script named FROM.
    Task<void> rename(AccountId account, std::string_view from, std::string_view to);
    // NotFound when there is no inactive script named NAME.
    Task<void> remove(AccountId account, std::string_view name);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
