// SRS0 addresses (smtpd/lib/srs.hpp): the libsrs2 form written, read back, and refused when
// forged, mangled or too old.

#include "smtpd/lib/srs.hpp"

#include <gtest/gtest.h>

namespace govmail::smtpd::srs {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1'765'000'000;  // day 20428: 20428 % 1024 = 972 = "6M"

Key key_at(std::int64_t now) { return Key{"s3cret", "example.go.kr", now, 21}; }

std::string local_of(const std::string& address) { return address.substr(0, address.rfind('@')); }

TEST(Srs, WritesTheSrs0FormWithTheDayAndTheForwardingDomain) {
    const auto rewritten = forward(key_at(kNow), "Bob@remote.test");
    ASSERT_TRUE(rewritten);
    EXPECT_TRUE(rewritten->starts_with("SRS0="));
    EXPECT_TRUE(rewritten->ends_with("=6M=remote.test=Bob@example.go.kr")) << *rewritten;
    EXPECT_EQ(rewritten->size(), std::string("SRS0=HHHH=6M=remote.test=Bob@example.go.kr").size());
}

TEST(Srs, ReversesWhatItWroteWithinTheMaximumAge) {
    const auto rewritten = forward(key_at(kNow), "a=b@remote.test");
    ASSERT_TRUE(rewritten);
    EXPECT_EQ(reverse(key_at(kNow), local_of(*rewritten)), "a=b@remote.test");
    EXPECT_EQ(reverse(key_at(kNow + 21 * kDay), local_of(*rewritten)), "a=b@remote.test");
    EXPECT_EQ(reverse(key_at(kNow + 22 * kDay), local_of(*rewritten)), std::nullopt);
    // Case changed on the way back (some MTAs lower local parts): still accepted.
    std::string lowered = local_of(*rewritten);
    for (auto& c : lowered) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(reverse(key_at(kNow), lowered), "a=b@remote.test");
}

TEST(Srs, RefusesForgedAndMalformedAddresses) {
    const auto rewritten = local_of(*forward(key_at(kNow), "bob@remote.test"));
    const Key other{"other-secret", "example.go.kr", kNow, 21};
    EXPECT_EQ(reverse(other, rewritten), std::nullopt);
    auto changed = rewritten;
    changed.replace(changed.find("remote.test"), 6, "evilxx");
    EXPECT_EQ(reverse(key_at(kNow), changed), std::nullopt);
    for (const std::string_view bad :
         {"SRS0", "SRS0=", "SRS0=abcd", "SRS0=abcd=6M", "SRS0=abcd=6M=remote.test",
          "SRS0=abcd=6M=remote.test=", "SRS0=abcd=!!=remote.test=bob", "bob", "SRS1=x=y=z=w"}) {
        EXPECT_EQ(reverse(key_at(kNow), bad), std::nullopt) << bad;
    }
    EXPECT_EQ(forward(key_at(kNow), "no-at-sign"), std::nullopt);
}

TEST(Srs, RecognisesTheSrs0PrefixInAnyCase) {
    EXPECT_TRUE(is_srs("srs0=abcd=6M=d=l"));
    EXPECT_TRUE(is_srs("SRS0+abcd"));
    EXPECT_FALSE(is_srs("SRS0"));
    EXPECT_FALSE(is_srs("srs-team"));
}

}  // namespace
}  // namespace govmail::smtpd::srs
