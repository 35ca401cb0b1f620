// libFuzzer target for DNS MX answers (read_mx_answer): the bytes a DNS server, or anyone
// able to spoof one, sends the outbound queue.
// Invariants:
// - a parse never yields NoSuchDomain (only the resolver's status does);
// - Found: 1 to kMaxMxHosts hosts in preference order, none of them the null MX, each a
//   printable name shorter than NS_MAXDNAME;
// - NullMx and TemporaryFailure: no hosts.

#include <arpa/nameser.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "smtpd/queue/mx_answer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using govmail::fuzz::check;
using govmail::smtpd::MxAnswer;
using govmail::smtpd::MxHost;

bool printable(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const MxAnswer answer = govmail::smtpd::read_mx_answer("example.org", std::span(data, size));
    check(answer.status != MxAnswer::Status::NoSuchDomain, "a parse never says NoSuchDomain");
    if (answer.status != MxAnswer::Status::Found) {
        check(answer.hosts.empty(), "no hosts unless Found");
        return 0;
    }
    check(
        !answer.hosts.empty() && answer.hosts.size() <= govmail::smtpd::kMaxMxHosts,
        "Found: 1 to kMaxMxHosts hosts"
    );
    check(
        std::is_sorted(
            answer.hosts.begin(), answer.hosts.end(),
            [](const MxHost& a, const MxHost& b) { return a.preference < b.preference; }
        ),
        "hosts in preference order"
    );
    for (const auto& mx : answer.hosts) {
        check(!mx.host.empty() && mx.host != ".", "the null MX is never a host to connect to");
        check(mx.host.size() < NS_MAXDNAME, "a host name within NS_MAXDNAME");
        check(printable(mx.host), "a host name of printable characters");
    }
    return 0;
}
