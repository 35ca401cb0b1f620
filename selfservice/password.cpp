#include "selfservice/password.hpp"

#include <algorithm>

#include "common/utf8.hpp"
#include "storage/credential_store.hpp"

namespace govmail::selfservice {

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() > kMaxPasswordBytes) {
        return "password longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
    }
    if (!is_valid_utf8(password)) {
        return "password is not valid UTF-8";
    }
    const auto code_points = std::count_if(password.begin(), password.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    if (static_cast<std::size_t>(code_points) < kMinPasswordLength) {
        return "password shorter than " + std::to_string(kMinPasswordLength) + " characters";
    }
    return std::nullopt;
}

boost::asio::awaitable<Result<void>> store_password(
    storage::Pool& pool,
    const Actor& actor,
    storage::AccountId account,
    std::string_view phc,
    PasswordSetter setter,
    std::string detail
) {
    const auto* action =
        setter == PasswordSetter::Administrator ? "account.password" : "password.change";
    const auto entry = audit_entry(actor, action, account, std::move(detail));
    co_return co_await storage::CredentialStore(pool).set_password_hash(account, phc, entry);
}

}  // namespace govmail::selfservice
