// MX look-up with libresolv; the answer is read by read_mx_answer (mx_answer.cpp).

#include "smtpd/queue/mx_lookup.hpp"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <span>
#include <vector>

#include "common/nameserver.hpp"

namespace govmail::smtpd {
namespace {

// STATE asks NAMESERVERS instead of resolv.conf's (glibc lets a caller set nsaddr_list after
// res_ninit).
void use_nameservers(struct __res_state& state, const std::vector<std::string>& nameservers) {
    int count = 0;
    for (const auto& text : nameservers) {
        const auto server = parse_nameserver(text);
        if (!server || count == MAXNS) {
            continue;
        }
        auto& address = state.nsaddr_list[count++];
        address = sockaddr_in{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(server->address);
        address.sin_port = htons(server->port);
    }
    state.nscount = count;
}

}  // namespace

MxAnswer lookup_mx_blocking(
    const std::vector<std::string>& nameservers, const std::string& domain
) {
    struct __res_state state {};
    if (res_ninit(&state) != 0) {
        return {};
    }
    if (!nameservers.empty()) {
        use_nameservers(state, nameservers);
    }
    std::vector<unsigned char> answer(kMaxMxAnswerBytes);
    const int length = res_nquery(
        &state, domain.c_str(), ns_c_in, ns_t_mx, answer.data(), static_cast<int>(answer.size())
    );
    const int herrno = state.res_h_errno;
    res_nclose(&state);
    if (length < 0) {
        if (herrno == HOST_NOT_FOUND) {
            return {MxAnswer::Status::NoSuchDomain, {}};
        }
        if (herrno == NO_DATA) {  // the domain exists without MX: its own address
            return {MxAnswer::Status::Found, {MxHost{0, domain}}};
        }
        return {};
    }
    return read_mx_answer(domain, std::span(answer).first(static_cast<std::size_t>(length)));
}

namespace {

// Runs on whichever executor it is spawned on (a plain function: see co_spawn in STYLE.md).
boost::asio::awaitable<MxAnswer> lookup_here(
    std::vector<std::string> nameservers, std::string domain
) {
    co_return lookup_mx_blocking(nameservers, domain);
}

}  // namespace

boost::asio::awaitable<MxAnswer> lookup_mx(
    boost::asio::any_io_executor blocking,
    const std::vector<std::string>& nameservers,
    std::string domain
) {
    co_return co_await boost::asio::co_spawn(
        blocking, lookup_here(nameservers, std::move(domain)), boost::asio::use_awaitable
    );
}

}  // namespace govmail::smtpd
