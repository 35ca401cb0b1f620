#pragma once

// What every mailadm command runs with: the suite's configuration, a small connection pool
// on its database, the administrator's identity for the audit log, and a way to run a
// storage coroutine to completion from plain code.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "common/config.hpp"
#include "common/result.hpp"
#include "selfservice/audit.hpp"
#include "storage/lifecycle_store.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::admin {

class AdminContext {
public:
    // Throws std::runtime_error for a malformed configuration file.
    explicit AdminContext(const std::filesystem::path& config_file);

    const Config& config() const { return config_; }
    // The away reply retired accounts answer with ([retiree] in the configuration).
    storage::RetireeReply retiree_reply() const {
        return storage::RetireeReply{
            config_.retiree.autoreply_subject, config_.retiree.autoreply_body};
    }
    storage::Pool& pool() { return pool_; }
    // The OS user running mailadm ("alice", or "alice (sudo)" under sudo as root).
    const std::string& actor() const { return actor_; }

    template <class T>
    T run(boost::asio::awaitable<T> task) {
        auto future = boost::asio::co_spawn(ioc_, std::move(task), boost::asio::use_future);
        ioc_.restart();
        ioc_.run();
        return future.get();
    }

    // The administrator as the self-service use cases audit them (method "mailadm").
    selfservice::Actor audit_actor() const { return selfservice::Actor{actor_, "mailadm", {}}; }
    // The audit entry of an administrative ACTION, for a store to write with its change.
    storage::AuditEntry audit_entry(
        std::string action, std::optional<storage::AccountId> account, std::string detail
    ) const;
    // Records an administrative ACTION that changes nothing in the audit log.
    Result<void> audit(
        std::string action, std::optional<storage::AccountId> account, std::string detail
    );

private:
    Config config_;
    boost::asio::io_context ioc_;
    storage::Pool pool_;
    std::string actor_;
};

}  // namespace govmail::admin
