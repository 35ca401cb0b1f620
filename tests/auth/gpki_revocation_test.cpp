// How [gpki] revocation combines the CRL's and the OCSP responder's answers, and the OCSP
// cache's validity and bound.

#include "auth/gpki_revocation.hpp"

#include <gtest/gtest.h>

#include "auth/ocsp_cache.hpp"

namespace govmail::auth {
namespace {

using enum RevocationStatus;

struct Case {
    RevocationSource policy;
    RevocationStatus crl;
    RevocationStatus ocsp;
    RevocationStatus want;
    bool asks_ocsp;
};

TEST(GpkiRevocation, PoliciesCombineTheSources) {
    using S = RevocationSource;
    const Case cases[] = {
        {S::Crl, Good, Revoked, Good, false},
        {S::Crl, Unknown, Good, Unknown, false},
        {S::Ocsp, Good, Revoked, Revoked, true},
        {S::Ocsp, Revoked, Good, Good, true},  // a listing CRL refuses earlier, in the chain
        {S::Ocsp, Good, Unknown, Unknown, true},
        {S::OcspThenCrl, Good, Unknown, Good, true},
        {S::OcspThenCrl, Revoked, Unknown, Revoked, true},
        {S::OcspThenCrl, Unknown, Unknown, Unknown, true},
        {S::OcspThenCrl, Unknown, Good, Good, true},
        {S::OcspThenCrl, Good, Revoked, Revoked, true},
        {S::Both, Good, Good, Good, true},
        {S::Both, Good, Revoked, Revoked, true},
        {S::Both, Revoked, Good, Revoked, false},
        {S::Both, Good, Unknown, Unknown, true},
        {S::Both, Unknown, Good, Unknown, true},
        {S::Both, Unknown, Revoked, Revoked, true},
    };
    for (const auto& c : cases) {
        bool asked = false;
        const auto answer = combine_revocation(c.policy, RevocationAnswer{c.crl, "crl"}, [&] {
            asked = true;
            return RevocationAnswer{c.ocsp, "ocsp"};
        });
        const auto label = ::testing::Message()
                           << "policy " << static_cast<int>(c.policy) << " crl "
                           << static_cast<int>(c.crl) << " ocsp " << static_cast<int>(c.ocsp);
        EXPECT_EQ(answer.status, c.want) << label;
        EXPECT_EQ(asked, c.asks_ocsp) << label;
    }
}

TEST(OcspCache, KeepsAnAnswerUntilItsNextUpdate) {
    OcspCache cache(10);
    cache.keep("ca\n01", RevocationAnswer{Revoked, "OCSP: revoked"}, 1100, 1000);
    ASSERT_TRUE(cache.find("ca\n01", 1099));
    EXPECT_EQ(cache.find("ca\n01", 1099)->status, Revoked);
    EXPECT_FALSE(cache.find("ca\n02", 1099));
    EXPECT_FALSE(cache.find("ca\n01", 1100));
}

TEST(OcspCache, StaysWithinItsCapacity) {
    OcspCache cache(2);
    cache.keep("a", RevocationAnswer{Good, ""}, 2000, 1000);
    cache.keep("b", RevocationAnswer{Good, ""}, 1001, 1000);
    cache.keep("c", RevocationAnswer{Good, ""}, 2000, 1500);  // b has expired: it goes
    EXPECT_TRUE(cache.find("a", 1500));
    EXPECT_TRUE(cache.find("c", 1500));
    cache.keep("d", RevocationAnswer{Good, ""}, 2000, 1500);  // full of live answers: cleared
    EXPECT_FALSE(cache.find("a", 1500));
    EXPECT_TRUE(cache.find("d", 1500));
}

}  // namespace
}  // namespace govmail::auth
