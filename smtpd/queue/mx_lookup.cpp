// MX look-up with libresolv. DNS answers are untrusted input: they are parsed with
// ns_initparse/ns_parserr, which bound every read by the answer's length.

#include "smtpd/queue/mx_lookup.hpp"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace govmail::smtpd {

namespace {

constexpr int kMaxAnswer = 65536;

// RFC 7505: the root as exchange ("." or, as some resolvers write it, "").
bool is_null_host(const MxHost& mx) { return mx.host.empty() || mx.host == "."; }

// The MX records of a DNS message, or nullopt when it cannot be parsed.
std::optional<std::vector<MxHost>> parse_mx_records(std::span<const unsigned char> answer) {
    ns_msg message{};
    if (answer.size() > static_cast<std::size_t>(kMaxAnswer) ||
        ns_initparse(answer.data(), static_cast<int>(answer.size()), &message) < 0) {
        return std::nullopt;
    }
    std::vector<MxHost> hosts;
    const int count = ns_msg_count(message, ns_s_an);
    for (int i = 0; i < count; ++i) {
        ns_rr rr{};
        if (ns_parserr(&message, ns_s_an, i, &rr) < 0) {
            return std::nullopt;
        }
        if (ns_rr_type(rr) != ns_t_mx || ns_rr_rdlen(rr) < 3) {
            continue;
        }
        const unsigned char* rdata = ns_rr_rdata(rr);
        std::array<char, NS_MAXDNAME> name{};
        if (ns_name_uncompress(
                ns_msg_base(message), ns_msg_end(message), rdata + 2, name.data(), name.size()
            ) < 0) {
            return std::nullopt;
        }
        hosts.push_back(MxHost{static_cast<std::uint16_t>(ns_get16(rdata)), name.data()});
    }
    return hosts;
}

}  // namespace

MxAnswer read_mx_answer(const std::string& domain, std::span<const unsigned char> answer) {
    auto hosts = parse_mx_records(answer);
    if (!hosts) {
        return {};
    }
    if (hosts->empty()) {  // no MX: the domain's own address records
        return {MxAnswer::Status::Found, {MxHost{0, domain}}};
    }
    if (std::all_of(hosts->begin(), hosts->end(), is_null_host)) {
        return {MxAnswer::Status::NullMx, {}};
    }
    std::erase_if(*hosts, is_null_host);
    std::stable_sort(hosts->begin(), hosts->end(), [](const MxHost& a, const MxHost& b) {
        return a.preference < b.preference;
    });
    if (hosts->size() > kMaxMxHosts) {
        hosts->resize(kMaxMxHosts);
    }
    return {MxAnswer::Status::Found, std::move(*hosts)};
}

MxAnswer lookup_mx_blocking(const std::string& domain) {
    struct __res_state state {};
    if (res_ninit(&state) != 0) {
        return {};
    }
    std::vector<unsigned char> answer(kMaxAnswer);
    const int length =
        res_nquery(&state, domain.c_str(), ns_c_in, ns_t_mx, answer.data(), kMaxAnswer);
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
boost::asio::awaitable<MxAnswer> lookup_here(std::string domain) {
    co_return lookup_mx_blocking(domain);
}

}  // namespace

boost::asio::awaitable<MxAnswer> lookup_mx(
    boost::asio::any_io_executor blocking, std::string domain
) {
    co_return co_await boost::asio::co_spawn(
        blocking, lookup_here(std::move(domain)), boost::asio::use_awaitable
    );
}

}  // namespace govmail::smtpd
