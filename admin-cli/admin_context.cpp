#include "admin-cli/admin_context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "storage/audit_store.hpp"
#include "storage/pg/database_config.hpp"

namespace govmail::admin {
namespace {

constexpr std::size_t kPoolSize = 2;

std::string os_user() {
    const auto uid = ::getuid();
    std::string name = std::to_string(uid);
    if (const passwd* entry = ::getpwuid(uid); entry != nullptr) {
        name = entry->pw_name;
    }
    const char* sudo_user = std::getenv("SUDO_USER");
    if (uid == 0 && sudo_user != nullptr) {
        return std::string(sudo_user) + " (sudo)";
    }
    return name;
}

storage::PoolOptions pool_options(const Config& config) {
    return storage::PoolOptions{
        storage::database_dsn(config), kPoolSize, config.database.query_timeout};
}

}  // namespace

AdminContext::AdminContext(const std::filesystem::path& config_file)
    : config_(load_config(config_file)),
      pool_(ioc_.get_executor(), pool_options(config_)),
      actor_(os_user()) {}

storage::AuditEntry AdminContext::audit_entry(
    std::string action, std::optional<storage::AccountId> account, std::string detail
) const {
    return selfservice::audit_entry(audit_actor(), std::move(action), account, std::move(detail));
}

Result<void> AdminContext::audit(
    std::string action, std::optional<storage::AccountId> account, std::string detail
) {
    return run(
        selfservice::record(pool_, audit_actor(), std::move(action), account, std::move(detail))
    );
}

}  // namespace govmail::admin
