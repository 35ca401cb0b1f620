#pragma once

// Argon2id on a small pool of blocking threads, so a burst of logins queues there instead of
// stalling the io threads that serve every session. The pool's size bounds the memory used
// (threads x Argon2 memory cost).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>

#include "auth/password_hash.hpp"

namespace govmail::auth {

class PasswordHasher {
public:
    PasswordHasher(Argon2Params params, std::size_t threads);
    PasswordHasher(const PasswordHasher&) = delete;
    PasswordHasher& operator=(const PasswordHasher&) = delete;
    ~PasswordHasher();

    boost::asio::awaitable<std::string> hash(std::string password);
    boost::asio::awaitable<bool> verify(std::string phc, std::string password);
    // Verifies against a hash of an unknown random secret: what a login for an unknown user
    // or an account without password costs, so timing does not tell them apart.
    boost::asio::awaitable<void> verify_nothing(std::string password);

private:
    Argon2Params params_;
    boost::asio::thread_pool pool_;
    std::string unknown_hash_;
};

}  // namespace govmail::auth
