#pragma once

// Message bodies are stored once per content (message_bodies), shared by every mailbox row and
// queue entry that holds the message. Whatever removes such rows (EXPUNGE, MOVE, deleting a
// mailbox or an account, a finished queue entry) deletes, in the same transaction, the bodies
// nobody refers to any more: deleted mail leaves the database.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/connection.hpp"

namespace govmail::storage {

struct FreedBodies {
    std::int64_t count = 0;
    std::int64_t bytes = 0;
};

// Deletes those of the bodies HASHES (hex) that no mailbox message and no queue entry refers
// to, inside the caller's transaction, in one round trip. The rows are locked first, so a delivery
// or copy reusing one either has its reference committed already (the body stays) or waits and
// stores the body again once it is gone (sql::kInsertBody locks an existing body).
boost::asio::awaitable<Result<FreedBodies>> delete_unused_bodies(
    Connection& conn, const std::vector<std::string>& hashes
);

}  // namespace govmail::storage
