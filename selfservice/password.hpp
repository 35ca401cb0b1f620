#pragma once

// Passwords people choose (SPEC "Self-service portal", `mailadm account password`): one rule
// for what is accepted, and the stored Argon2id hash changed together with its audit entry.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "selfservice/audit.hpp"

namespace govmail::selfservice {

inline constexpr std::size_t kMinPasswordLength = 8;  // code points
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Why PASSWORD cannot be used (too short, too long, not UTF-8), or nothing when it can.
std::optional<std::string> password_problem(const std::string& password);

// Who sets the password, which names the audit action: "account.password" for an
// administrator, "password.change" for the account's owner.
enum class PasswordSetter { Administrator, Owner };

// Stores PHC, the hash of a password password_problem accepted, as ACCOUNT's password.
boost::asio::awaitable<Result<void>> store_password(
    storage::Pool& pool,
    const Actor& actor,
    storage::AccountId account,
    std::string_view phc,
    PasswordSetter setter,
    std::string detail
);

}  // namespace govmail::selfservice
