#pragma once

// App passwords (SPEC "Self-service portal", `mailadm app-password`): a random secret per
// device for mail clients that cannot do the SMS code, shown once, stored as its digest,
// revocable. Device names are 1 to 100 bytes, for both the portal and mailadm.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "selfservice/audit.hpp"
#include "storage/credential_store.hpp"

namespace govmail::selfservice {

inline constexpr std::size_t kMaxDeviceNameBytes = 100;

// Why DEVICE cannot name an app password (empty, too long), or nothing when it can.
std::optional<std::string> device_name_problem(std::string_view device);

struct NewAppPassword {
    storage::AppPassword record;
    std::string secret;  // shown once, never stored
};

// InvalidData: a device name device_name_problem refuses. Exists: an active app password
// of the account already has that device name (any case).
boost::asio::awaitable<Result<NewAppPassword>> create_app_password(
    storage::Pool& pool, const Actor& actor, storage::AccountId account, std::string device
);

// NotFound: the account has no active app password ID.
boost::asio::awaitable<Result<storage::AppPassword>> revoke_app_password(
    storage::Pool& pool, const Actor& actor, storage::AccountId account, std::int64_t id
);

}  // namespace govmail::selfservice
