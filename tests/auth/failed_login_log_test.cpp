// The failed-login log line (auth/failed_login_log.hpp): its stable format, and that nothing a
// client sends can break out of its quoted fields or forge the remote address.

#include "auth/failed_login_log.hpp"

#include <gtest/gtest.h>

namespace govmail::auth {
namespace {

TEST(FailedLoginLog, LineHasTheDocumentedFormat) {
    EXPECT_EQ(
        failed_login_line(
            "203.0.113.7", "imap", "password", "kim@example.go.kr", "invalid credentials"
        ),
        "auth: login failed: remote=203.0.113.7 service=imap method=password "
        "user=\"kim@example.go.kr\" reason=\"invalid credentials\""
    );
}

TEST(FailedLoginLog, QuotesBackslashesControlsAndNonAsciiAreEscaped) {
    EXPECT_EQ(
        failed_login_line("::1", "smtp", "password", "a\" remote=1.2.3.4 \\\n김", "r\"x"),
        "auth: login failed: remote=::1 service=smtp method=password "
        "user=\"a\\x22 remote=1.2.3.4 \\x5c\\x0a\\xea\\xb9\\x80\" reason=\"r\\x22x\""
    );
}

TEST(FailedLoginLog, UserNameIsCutAt100Bytes) {
    const auto line = failed_login_line("::1", "sieve", "password", std::string(300, 'a'), "r");
    EXPECT_NE(
        line.find("user=\"" + std::string(100, 'a') + "...\" reason=\"r\""), std::string::npos
    ) << line;
}

TEST(FailedLoginLog, OnlyTheActionsThatEndALoginAsFailedAreLogged) {
    for (const auto* action :
         {"login.failure", "login.refused", "login.code_wrong", "login.code_void",
          "login.code_limit"}) {
        EXPECT_TRUE(is_failed_login(action)) << action;
    }
    for (const auto* action :
         {"login.success", "login.lock", "login.code_sent", "login.code_pending",
          "login.code_expired", "login.code_unsent", "signup.request"}) {
        EXPECT_FALSE(is_failed_login(action)) << action;
    }
}

}  // namespace
}  // namespace govmail::auth
