#pragma once

// Argon2id off the io threads, on worker threads of its own (auth/hash_workers.hpp) behind
// one bounded FIFO queue. Each caller resumes on its own executor the moment its own hash is
// done, never waiting for hashes queued after it; when the queue is full a call fails at once
// with HasherBusy, which a login answers as a temporary failure. The number of workers bounds
// the memory used (workers x Argon2 memory cost).

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "auth/hash_workers.hpp"
#include "auth/password_hash.hpp"

namespace govmail::auth {

// The hashing queue is full (or the hasher is shutting down): try again later.
class HasherBusy : public std::runtime_error {
public:
    HasherBusy() : std::runtime_error("password hashing queue full") {}
};

class PasswordHasher {
public:
    // THREADS workers; up to QUEUE_LENGTH calls wait while all of them are busy.
    PasswordHasher(Argon2Params params, std::size_t threads, std::size_t queue_length);

    // Each throws HasherBusy when the queue is full.
    boost::asio::awaitable<std::string> hash(std::string password);
    boost::asio::awaitable<bool> verify(std::string phc, std::string password);
    // Verifies against a hash of an unknown random secret: what a login for an unknown user
    // or an account without password costs, so timing does not tell them apart.
    boost::asio::awaitable<void> verify_nothing(std::string password);

private:
    Argon2Params params_;
    std::string unknown_hash_;
    HashWorkers workers_;  // last: destroyed (and joined) first
};

}  // namespace govmail::auth
