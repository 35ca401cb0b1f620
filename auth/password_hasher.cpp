#include "auth/password_hasher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/secrets.hpp"

namespace govmail::auth {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

// Plain functions with by-value parameters: the coroutines co_spawn runs on the pool.
awaitable<std::string> hash_on_pool(std::string password, Argon2Params params) {
    co_return hash_password(password, params);
}

awaitable<bool> verify_on_pool(std::string phc, std::string password) {
    co_return verify_password(phc, password);
}

}  // namespace

PasswordHasher::PasswordHasher(Argon2Params params, std::size_t threads)
    : params_(params),
      pool_(threads == 0 ? 1 : threads),
      unknown_hash_(hash_password(generate_secret(), params)) {}

PasswordHasher::~PasswordHasher() { pool_.join(); }

awaitable<std::string> PasswordHasher::hash(std::string password) {
    co_return co_await asio::co_spawn(
        pool_, hash_on_pool(std::move(password), params_), asio::use_awaitable
    );
}

awaitable<bool> PasswordHasher::verify(std::string phc, std::string password) {
    co_return co_await asio::co_spawn(
        pool_, verify_on_pool(std::move(phc), std::move(password)), asio::use_awaitable
    );
}

awaitable<void> PasswordHasher::verify_nothing(std::string password) {
    co_await verify(unknown_hash_, std::move(password));
}

}  // namespace govmail::auth
