#pragma once

// A blocking client for the two Redis commands `mailadm dkim` needs, HSET and HDEL, in
// Redis's protocol (RESP). It speaks to rspamd's Redis: the embedded one on loopback or the
// one an external rspamd cluster shares ([filter] dkim_redis).

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

namespace govmail::admin {

class RedisHash {
public:
    // ADDRESS is "host:port". Throws std::runtime_error when it cannot connect.
    explicit RedisHash(const std::string& address);

    // Throw std::runtime_error with Redis's error or a connection failure.
    void set(std::string_view hash, std::string_view field, std::string_view value);
    void remove(std::string_view hash, std::string_view field);

private:
    // The reply's first line ("+OK", ":1"); throws for an error reply.
    std::string command(std::initializer_list<std::string_view> words);

    boost::asio::ip::tcp::iostream stream_;
};

}  // namespace govmail::admin
