#include "launcher/service_probe.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string_view>

namespace govmail::launcher {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kShownGreeting = 100;
constexpr std::size_t kMaxGreeting = 512;  // bytes read of a greeting line

// Closes the descriptor it holds when it goes.
class Socket {
public:
    Socket() = default;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() { reset(-1); }
    int fd() const { return fd_; }
    void reset(int fd) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

std::string reachable_address(const std::string& address) {
    if (address.empty() || address == "0.0.0.0") {
        return "127.0.0.1";
    }
    return address == "::" ? "::1" : address;
}

// Waits until FD is ready for EVENTS or DEADLINE passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd entry{fd, events, 0};
    return left > 0 && ::poll(&entry, 1, static_cast<int>(left)) == 1;
}

// A non-blocking connection to LISTENER, or the reason there is none.
Health connect_to(const ServiceListener& listener, Clock::time_point deadline, Socket& out) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const auto port = std::to_string(listener.port);
    if (::getaddrinfo(reachable_address(listener.address).c_str(), port.c_str(), &hints, &found) !=
        0) {
        return {false, "address not usable"};
    }
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int rc = fd < 0 ? -1 : ::connect(fd, found->ai_addr, found->ai_addrlen);
    const int connect_errno = errno;
    ::freeaddrinfo(found);
    out.reset(fd);
    if (fd < 0 || (rc != 0 && connect_errno != EINPROGRESS)) {
        return {false, "connection refused"};
    }
    if (rc != 0 && !wait_for(fd, POLLOUT, deadline)) {
        return {false, "no connection in time"};
    }
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
        return {false, "connection refused"};
    }
    return {true, "accepts connections"};
}

// The first line the server sends, without its line end ("" when none came in time).
std::string first_line(int fd, Clock::time_point deadline) {
    std::string line;
    std::array<char, kMaxGreeting> buffer{};
    while (line.find('\n') == std::string::npos && line.size() < buffer.size() &&
           wait_for(fd, POLLIN, deadline)) {
        const auto got = ::recv(fd, buffer.data(), buffer.size() - line.size(), 0);
        if (got <= 0) {
            break;
        }
        line.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return line.substr(0, line.find_first_of("\r\n"));
}

bool greets_as_expected(Greeting greeting, const std::string& line) {
    switch (greeting) {
        case Greeting::Smtp:
            return line.starts_with("220");
        case Greeting::Imap:
            return line.starts_with("* OK");
        case Greeting::ManageSieve:
            return line.starts_with("\"IMPLEMENTATION\"") || line.starts_with("\"SIEVE\"");
        case Greeting::None:
            return true;
    }
    return false;
}

// What ends a session politely after its greeting, so the daemon logs a normal end.
std::string_view goodbye(Greeting greeting) {
    switch (greeting) {
        case Greeting::Smtp:
            return "QUIT\r\n";
        case Greeting::Imap:
            return "a LOGOUT\r\n";
        case Greeting::ManageSieve:
            return "LOGOUT\r\n";
        case Greeting::None:
            break;
    }
    return "";
}

void add(
    std::vector<ServiceListener>& out,
    const ListenerConfig& listener,
    const char* part,
    const char* service,
    Greeting greeting
) {
    if (listener.enabled) {
        out.push_back({part, service, listener.address, listener.port, greeting});
    }
}

}  // namespace

std::vector<ServiceListener> configured_listeners(const Config& config) {
    std::vector<ServiceListener> out;
    add(out, config.smtp.mx, "smtpd", "smtp", Greeting::Smtp);
    add(out, config.smtp.submission, "smtpd", "submission", Greeting::Smtp);
    add(out, config.smtp.submissions, "smtpd", "submissions", Greeting::None);
    add(out, config.imap.imap, "imapd", "imap", Greeting::Imap);
    add(out, config.imap.imaps, "imapd", "imaps", Greeting::None);
    add(out, config.imap.managesieve, "imapd", "managesieve", Greeting::ManageSieve);
    for (const auto& listener : config.portal.listeners) {
        add(out, listener, "portal", "portal", Greeting::None);
    }
    return out;
}

Health probe(const ServiceListener& listener, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    Socket socket;
    auto connected = connect_to(listener, deadline, socket);
    if (!connected.ok || listener.greeting == Greeting::None) {
        return connected;
    }
    const auto line = first_line(socket.fd(), deadline);
    if (line.empty()) {
        return {false, "no greeting in time"};
    }
    const auto bye = goodbye(listener.greeting);
    static_cast<void>(::send(socket.fd(), bye.data(), bye.size(), MSG_NOSIGNAL));  // best effort
    const auto shown = line.substr(0, kShownGreeting);
    if (!greets_as_expected(listener.greeting, line)) {
        return {false, "unexpected greeting: " + shown};
    }
    return {true, shown};
}

}  // namespace govmail::launcher
