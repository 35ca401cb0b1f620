// The connection pool against the real embedded PostgreSQL: connections the server closed
// while they sat idle in the pool (a database restart) are replaced, not handed out.

#include <thread>

#include "storage/pg/pool.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

constexpr storage::Statement kPid{"test_pool_pid", "SELECT pg_backend_pid()"};
constexpr storage::Statement kTerminate{"test_pool_kill", "SELECT pg_terminate_backend($1)"};

boost::asio::awaitable<Result<std::int64_t>> backend_pid(storage::Pool& pool) {
    auto conn = co_await pool.acquire();
    if (!conn) {
        co_return conn.error();
    }
    auto result = co_await (*conn)->execute(kPid, {});
    if (!result) {
        co_return result.error();
    }
    co_return result->int64(0, 0);
}

TEST_F(StorageTest, ConnectionClosedByTheServerWhileIdleIsReplaced) {
    storage::Pool one(ioc.get_executor(), storage::PoolOptions{test_dsn(), 1});
    const auto idle_pid = ok(backend_pid(one));
    // Another connection ends the idle one's backend, as a database restart would.
    ok([&]() -> boost::asio::awaitable<Result<void>> {
        auto killer = co_await pool.acquire();
        if (!killer) {
            co_return killer.error();
        }
        auto killed = co_await (*killer)->execute(kTerminate, storage::Params(idle_pid));
        if (!killed) {
            co_return killed.error();
        }
        co_return Result<void>{};
    }());
    // The server closes the socket asynchronously after the termination.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto next = run(backend_pid(one));
    ASSERT_TRUE(next) << "the pool handed out the closed connection: " << next.error().message();
    EXPECT_NE(*next, idle_pid);
}

}  // namespace
}  // namespace govmail::test
