// Reading MX answers. DNS answers are untrusted input: they are parsed with
// ns_initparse/ns_parserr/ns_name_uncompress, which bound every read by the answer's length.

#include "smtpd/queue/mx_answer.hpp"

#include <arpa/nameser.h>

#include <algorithm>
#include <array>
#include <optional>

namespace govmail::smtpd {

namespace {

// RFC 7505: the root as exchange ("." or, as some resolvers write it, "").
bool is_null_host(const MxHost& mx) { return mx.host.empty() || mx.host == "."; }

// The MX records of a DNS message, or nullopt when it cannot be parsed.
std::optional<std::vector<MxHost>> parse_mx_records(std::span<const unsigned char> answer) {
    ns_msg message{};
    if (answer.size() > kMaxMxAnswerBytes ||
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

}  // namespace govmail::smtpd
