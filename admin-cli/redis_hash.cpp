// HSET and HDEL over RESP (admin-cli/redis_hash.hpp).

#include "admin-cli/redis_hash.hpp"

#include <chrono>
#include <stdexcept>

namespace govmail::admin {
namespace {

// A connection, a command and its answer together: Redis on the same network answers at once.
constexpr std::chrono::seconds kTimeout{10};

}  // namespace

RedisHash::RedisHash(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) {
        throw std::runtime_error("Redis address " + address + " is not host:port");
    }
    stream_.expires_after(kTimeout);
    stream_.connect(address.substr(0, colon), address.substr(colon + 1));
    if (!stream_) {
        throw std::runtime_error(
            "cannot connect to rspamd's Redis at " + address + ": " + stream_.error().message()
        );
    }
}

std::string RedisHash::command(std::initializer_list<std::string_view> words) {
    // An array of bulk strings: binary safe, whatever the key contains.
    stream_ << '*' << words.size() << "\r\n";
    for (const auto word : words) {
        stream_ << '$' << word.size() << "\r\n" << word << "\r\n";
    }
    stream_.flush();
    std::string line;
    if (!std::getline(stream_, line)) {
        throw std::runtime_error("rspamd's Redis did not answer: " + stream_.error().message());
    }
    if (line.ends_with('\r')) {
        line.pop_back();
    }
    if (line.empty() || line.front() == '-') {
        throw std::runtime_error("rspamd's Redis refused: " + line);
    }
    return line;
}

void RedisHash::set(std::string_view hash, std::string_view field, std::string_view value) {
    command({"HSET", hash, field, value});
}

void RedisHash::remove(std::string_view hash, std::string_view field) {
    command({"HDEL", hash, field});
}

}  // namespace govmail::admin
