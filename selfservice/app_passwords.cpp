#include "selfservice/app_passwords.hpp"

#include "auth/secrets.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::selfservice {
namespace {

std::string describe(const storage::AppPassword& p) {
    return "id " + std::to_string(p.id) + " (" + p.device + ")";
}

}  // namespace

std::optional<std::string> device_name_problem(std::string_view device) {
    if (device.empty()) {
        return "the device name is empty";
    }
    if (device.size() > kMaxDeviceNameBytes) {
        return "the device name is longer than " + std::to_string(kMaxDeviceNameBytes) + " bytes";
    }
    return std::nullopt;
}

boost::asio::awaitable<Result<NewAppPassword>> create_app_password(
    storage::Pool& pool, const Actor& actor, storage::AccountId account, std::string device
) {
    if (device_name_problem(device)) {
        co_return make_error_code(storage::Errc::InvalidData);
    }
    auto secret = auth::generate_secret();
    auto created = co_await storage::CredentialStore(pool).create_app_password(
        account, device, auth::app_password_digest(secret),
        [&](const storage::AppPassword& p) {
            return audit_entry(actor, "app-password.create", account, describe(p));
        }
    );
    if (!created) {
        co_return created.error();
    }
    co_return NewAppPassword{std::move(*created), std::move(secret)};
}

boost::asio::awaitable<Result<storage::AppPassword>> revoke_app_password(
    storage::Pool& pool, const Actor& actor, storage::AccountId account, std::int64_t id
) {
    co_return co_await storage::CredentialStore(pool).revoke_app_password(
        account, id,
        [&](const storage::AppPassword& p) {
            return audit_entry(actor, "app-password.revoke", account, describe(p));
        }
    );
}

}  // namespace govmail::selfservice
