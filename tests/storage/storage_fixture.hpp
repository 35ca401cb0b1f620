#pragma once

// A test fixture with a pool on the test database and a mailstore over it.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "mime/parse.hpp"
#include "storage/mailstore.hpp"
#include "tests/support/async.hpp"
#include "tests/support/set_up_audit.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {

class StorageTest : public ::testing::Test {
protected:
    StorageTest()
        : pool(ioc.get_executor(), storage::PoolOptions{test_dsn(), 4, std::chrono::seconds(30)}),
          store(pool) {}

    template <class T>
    T run(boost::asio::awaitable<T> task) {
        return test::run(ioc, std::move(task));
    }

    // The value of a storage call that must succeed.
    template <class T>
    T ok(boost::asio::awaitable<Result<T>> task) {
        auto result = run(std::move(task));
        if (!result) {
            ADD_FAILURE() << "storage call failed: " << result.error().message();
            throw std::runtime_error("storage call failed");
        }
        if constexpr (!std::is_void_v<T>) {
            return std::move(*result);
        }
    }

    storage::Account new_account() {
        return ok(store.create_account(
            storage::NewAccount{unique_address(), "Test User", false},
            set_up_audit<storage::Account>()
        ));
    }

    // Delivers RAW to the INBOX of every account in ACCOUNTS.
    std::vector<storage::Delivered> deliver(
        const std::string& raw, const std::vector<storage::AccountId>& accounts
    ) {
        const auto parsed = mime::parse(raw);
        std::vector<storage::DeliveryTarget> targets;
        for (const auto a : accounts) {
            targets.push_back(storage::DeliveryTarget{a, "INBOX"});
        }
        return ok(store.deliver(storage::IncomingMessage{raw, parsed, 1'700'000'000, {}}, targets));
    }

    // How many message_bodies rows hold exactly RAW.
    std::int64_t stored_bodies(const std::string& raw) {
        static constexpr storage::Statement kCount{
            "test_count_bodies", "SELECT count(*) FROM message_bodies WHERE raw = $1"};
        return ok(
            [](storage::Pool* p,
               std::string bytes) -> boost::asio::awaitable<Result<std::int64_t>> {
                auto conn = co_await p->acquire();
                if (!conn) {
                    co_return conn.error();
                }
                auto r = co_await (*conn)->execute(kCount, storage::Params(storage::Binary{bytes}));
                if (!r) {
                    co_return r.error();
                }
                co_return r->int64(0, 0);
            }(&pool, raw)
        );
    }

    boost::asio::io_context ioc;
    storage::Pool pool;
    storage::Mailstore store;
};

inline std::string sample_message(const std::string& subject, const std::string& body = "Hi.") {
    return "From: Sender <sender@example.org>\r\nTo: someone@localhost\r\nSubject: " + subject +
           "\r\nMessage-ID: <" + subject + "@example.org>\r\n\r\n" + body + "\r\n";
}

}  // namespace govmail::test
