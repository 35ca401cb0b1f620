// The authenticator's English reasons as the portal's pages show them.

#include "portal/login_text.hpp"

#include <gtest/gtest.h>

#include "auth/database_authenticator.hpp"
#include "auth/sms_code.hpp"

namespace govmail::portal {
namespace {

TEST(LoginText, KoreanPagesGetKoreanReasons) {
    EXPECT_EQ(
        login_text(Lang::Ko, auth::kLoginFailedText),
        "인증에 실패했습니다. 아이디와 비밀번호를 확인하십시오."
    );
    EXPECT_EQ(login_text(Lang::En, auth::kLoginFailedText), auth::kLoginFailedText);
    EXPECT_EQ(login_text(Lang::Ko, "Certificate has been revoked"), "폐지된 인증서입니다.");
    EXPECT_EQ(login_text(Lang::Ko, "something new"), "something new");
}

TEST(LoginText, CodeInstructionsAskForTheCodeAlone) {
    const auto ko = login_text(Lang::Ko, auth::code_sent_text("5678"));
    EXPECT_NE(ko.find("끝자리가 5678인"), std::string::npos) << ko;
    const auto en = login_text(Lang::En, auth::code_wrong_text("5678"));
    EXPECT_NE(en.find("ending in 5678"), std::string::npos) << en;
    EXPECT_EQ(en.find("password"), std::string::npos) << en;
    const auto expired = login_text(Lang::Ko, auth::code_expired_text("0001"));
    EXPECT_NE(expired.find("새 인증번호"), std::string::npos) << expired;
}

}  // namespace
}  // namespace govmail::portal
