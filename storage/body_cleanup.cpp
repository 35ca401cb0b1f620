#include "storage/body_cleanup.hpp"

#include "storage/sql/bodies.hpp"

namespace govmail::storage {

boost::asio::awaitable<Result<FreedBodies>> delete_unused_bodies(
    Connection& conn, const std::vector<std::string>& hashes
) {
    if (hashes.empty()) {
        co_return FreedBodies{};
    }
    const Params params(hashes);
    if (auto locked = co_await conn.execute(sql::kLockBodies, params); !locked) {
        co_return locked.error();
    }
    auto deleted = co_await conn.execute(sql::kDeleteUnusedBodies, params);
    if (!deleted) {
        co_return deleted.error();
    }
    FreedBodies freed;
    freed.count = deleted->rows();
    for (int row = 0; row < deleted->rows(); ++row) {
        freed.bytes += deleted->int64(row, 0);
    }
    co_return freed;
}

}  // namespace govmail::storage
