#include "storage/body_cleanup.hpp"

#include <array>

#include "storage/sql/bodies.hpp"

namespace govmail::storage {

boost::asio::awaitable<Result<FreedBodies>> delete_unused_bodies(
    Connection& conn, const std::vector<std::string>& hashes
) {
    if (hashes.empty()) {
        co_return FreedBodies{};
    }
    const Params params(hashes);
    // The lock and the delete in one flight: the server runs them in order.
    const std::array<PipelineStep, 2> steps{
        PipelineStep{sql::kLockBodies, params}, PipelineStep{sql::kDeleteUnusedBodies, params}};
    auto sent = co_await conn.execute_pipeline(steps);
    if (!sent) {
        co_return sent.error;
    }
    const auto& deleted = sent.results[1];
    FreedBodies freed;
    freed.count = deleted.rows();
    for (int row = 0; row < deleted.rows(); ++row) {
        freed.bytes += deleted.int64(row, 0);
    }
    co_return freed;
}

}  // namespace govmail::storage
