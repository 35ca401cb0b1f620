// Reading DNS MX answers (read_mx_answer): preference order, the host limit, null MX alone and
// beside other hosts, compressed names, and answers that cannot be parsed. The messages are
// built here byte by byte as a DNS server sends them (RFC 1035 4.1).

#include "smtpd/queue/mx_answer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace govmail::smtpd {
namespace {

using Bytes = std::vector<unsigned char>;

void put16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<unsigned char>(value >> 8));
    out.push_back(static_cast<unsigned char>(value & 0xff));
}

// A domain name as labels; "" is the root.
Bytes name(const std::string& dotted) {
    Bytes out;
    std::size_t start = 0;
    while (start < dotted.size()) {
        const auto dot = dotted.find('.', start);
        const auto end = dot == std::string::npos ? dotted.size() : dot;
        out.push_back(static_cast<unsigned char>(end - start));
        out.insert(
            out.end(), dotted.begin() + static_cast<std::ptrdiff_t>(start),
            dotted.begin() + static_cast<std::ptrdiff_t>(end)
        );
        start = end + 1;
    }
    out.push_back(0);
    return out;
}

// A response to "DOMAIN IN MX" with one MX record per entry of RECORDS (EXCHANGE as given,
// already encoded).
Bytes answer(
    const std::string& domain, const std::vector<std::pair<std::uint16_t, Bytes>>& records
) {
    Bytes out;
    put16(out, 0x1234);  // id
    put16(out, 0x8180);  // response, recursion desired and available, no error
    put16(out, 1);       // questions
    put16(out, static_cast<std::uint16_t>(records.size()));
    put16(out, 0);
    put16(out, 0);
    const Bytes qname = name(domain);
    out.insert(out.end(), qname.begin(), qname.end());
    put16(out, 15);  // MX
    put16(out, 1);   // IN
    for (const auto& [preference, exchange] : records) {
        put16(out, 0xc00c);  // the owner: a pointer to the question's name
        put16(out, 15);
        put16(out, 1);
        out.insert(out.end(), {0, 0, 0x0e, 0x10});  // TTL 3600
        put16(out, static_cast<std::uint16_t>(2 + exchange.size()));
        put16(out, preference);
        out.insert(out.end(), exchange.begin(), exchange.end());
    }
    return out;
}

MxAnswer read(const Bytes& bytes) { return read_mx_answer("example.org", bytes); }

TEST(ReadMxAnswer, SortsHostsByPreference) {
    const auto result = read(answer(
        "example.org", {{20, name("mx2.example.org")},
                        {10, name("mx1.example.org")},
                        {20, name("mx3.example.org")}}
    ));
    EXPECT_EQ(result.status, MxAnswer::Status::Found);
    EXPECT_EQ(
        result.hosts,
        (std::vector<MxHost>{
            {10, "mx1.example.org"}, {20, "mx2.example.org"}, {20, "mx3.example.org"}})
    );
}

TEST(ReadMxAnswer, FollowsCompressionPointers) {
    // "mx" followed by a pointer to the question's name at offset 12.
    const auto result = read(answer("example.org", {{5, Bytes{2, 'm', 'x', 0xc0, 0x0c}}}));
    EXPECT_EQ(result.status, MxAnswer::Status::Found);
    EXPECT_EQ(result.hosts, (std::vector<MxHost>{{5, "mx.example.org"}}));
}

TEST(ReadMxAnswer, KeepsAtMostTheLimit) {
    std::vector<std::pair<std::uint16_t, Bytes>> records;
    for (std::uint16_t i = 0; i < 30; ++i) {
        records.emplace_back(
            static_cast<std::uint16_t>(30 - i), name("mx" + std::to_string(i) + ".example.org")
        );
    }
    const auto result = read(answer("example.org", records));
    ASSERT_EQ(result.hosts.size(), kMaxMxHosts);
    EXPECT_EQ(result.hosts.front(), (MxHost{1, "mx29.example.org"}));
}

TEST(ReadMxAnswer, NullMxAloneRefusesTheDomain) {
    EXPECT_EQ(read(answer("example.org", {{0, name("")}})).status, MxAnswer::Status::NullMx);
}

TEST(ReadMxAnswer, NullMxBesideOtherHostsIsSkipped) {
    const auto result = read(answer("example.org", {{0, name("")}, {10, name("mx.example.org")}}));
    EXPECT_EQ(result.status, MxAnswer::Status::Found);
    EXPECT_EQ(result.hosts, (std::vector<MxHost>{{10, "mx.example.org"}}));
}

TEST(ReadMxAnswer, NoMxRecordsMeansTheDomainItself) {
    const auto result = read(answer("example.org", {}));
    EXPECT_EQ(result.status, MxAnswer::Status::Found);
    EXPECT_EQ(result.hosts, (std::vector<MxHost>{{0, "example.org"}}));
}

TEST(ReadMxAnswer, BrokenAnswersAreTemporaryFailures) {
    const Bytes good = answer("example.org", {{10, name("mx.example.org")}});
    EXPECT_EQ(read(Bytes(good.begin(), good.end() - 3)).status, MxAnswer::Status::TemporaryFailure);
    EXPECT_EQ(read(Bytes{}).status, MxAnswer::Status::TemporaryFailure);
    // An exchange pointing at itself (a compression loop).
    Bytes loop = answer("example.org", {{10, Bytes{0xc0, 0x00}}});
    const std::size_t exchange = loop.size() - 2;
    loop[exchange + 1] = static_cast<unsigned char>(exchange);
    EXPECT_EQ(read(loop).status, MxAnswer::Status::TemporaryFailure);
}

}  // namespace
}  // namespace govmail::smtpd
