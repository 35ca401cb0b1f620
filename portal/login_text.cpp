#include "portal/login_text.hpp"

#include <array>
#include <utility>

#include "auth/certificate_renewal.hpp"
#include "auth/certificate_signup.hpp"
#include "auth/database_authenticator.hpp"
#include "auth/sms_code.hpp"

namespace govmail::portal {
namespace {

struct Translation {
    std::string_view en;
    std::string_view ko;
};

// The fixed reasons of auth/ (database_authenticator.hpp, sms_code.hpp, gpki_verifier.cpp,
// certificate_signup.cpp) in Korean.
constexpr std::array kFixed{
    Translation{auth::kLoginFailedText, "인증에 실패했습니다. 아이디와 비밀번호를 확인하십시오."},
    Translation{auth::kLoginLockedText, "로그인 실패가 너무 많습니다. 잠시 후 다시 시도하십시오."},
    Translation{auth::kAccountInactiveText, "사용할 수 없는 계정입니다. 관리자에게 문의하십시오."},
    Translation{auth::kAuthzidRefusedText, "그 사용자로 로그인할 권한이 없습니다."},
    Translation{
        auth::kTemporaryFailureText, "일시적인 인증 오류입니다. 잠시 후 다시 시도하십시오."},
    Translation{auth::kCertificateLoginOffText, "이 서버에서는 인증서 로그인을 쓰지 않습니다."},
    Translation{
        auth::kCertificateUnboundText,
        "메일 계정에 등록되지 않은 인증서입니다. 가입 신청을 하십시오."},
    Translation{auth::kRenewalPendingText, "갱신한 인증서가 관리자의 승인을 기다리고 있습니다."},
    Translation{
        "Certificate is not bound to a mail account and its owner has no mail ID in the "
        "directory; contact your administrator",
        "메일 계정에 등록되지 않은 인증서이며, 인사 정보에 메일 ID가 없습니다. 관리자에게 "
        "문의하십시오."},
    Translation{
        auth::kCodeVoidText,
        "인증번호를 너무 많이 틀렸습니다. 비밀번호로 다시 로그인하여 새 인증번호를 받으십시오."},
    Translation{
        auth::kNoMobileText,
        "문자 인증에 쓸 휴대전화 번호가 없습니다. 관리자에게 문의하거나 인증서 또는 앱 "
        "비밀번호로 로그인하십시오."},
    Translation{
        auth::kCodeLimitText,
        "이번 시간에 보낸 인증번호가 너무 많습니다. 잠시 후 다시 시도하거나 인증서 또는 앱 "
        "비밀번호로 로그인하십시오."},
    Translation{
        auth::kSmsUnavailableText, "인증번호 문자를 보내지 못했습니다. 잠시 후 다시 시도하십시오."},
    Translation{"Certificate has expired", "인증서의 유효기간이 지났습니다."},
    Translation{"Certificate is not yet valid", "인증서가 아직 유효하지 않습니다."},
    Translation{"Certificate has been revoked", "폐지된 인증서입니다."},
    Translation{
        "Certificate is not issued by a trusted GPKI CA",
        "신뢰하는 GPKI 인증기관이 발급한 인증서가 아닙니다."},
    Translation{
        "Certificate revocation status is unknown (no current CRL or OCSP answer); try again "
        "later",
        "인증서 폐지 여부를 확인할 수 없습니다. 잠시 후 다시 시도하십시오."},
    Translation{
        "Certificate is a CA certificate, not a personal one",
        "인증기관 인증서입니다. 개인 인증서로 로그인하십시오."},
    Translation{
        "Certificate key usage does not allow digital signatures",
        "전자서명에 쓸 수 없는 인증서입니다."},
    Translation{
        "Certificate extended key usage does not allow client authentication",
        "사용자 인증에 쓸 수 없는 인증서입니다."},
    Translation{
        "Certificate policy is not accepted for mail login",
        "메일 로그인에 허용되지 않는 인증서 정책입니다."},
    Translation{"No client certificate was presented", "인증서가 제출되지 않았습니다."},
    Translation{"Certificate could not be checked", "인증서를 확인할 수 없습니다."},
};

// The SMS-code instructions carry the number's last four digits; the portal asks for the code
// alone on its code page, so they are rewritten in both languages.
std::string code_text(Lang lang, std::string_view text) {
    constexpr std::string_view kEnding = "ending in ";
    const auto at = text.find(kEnding);
    if (at == std::string_view::npos) {
        return {};
    }
    auto ending = text.substr(at + kEnding.size());
    ending = ending.substr(0, ending.find_first_not_of("0123456789"));
    const std::string digits(ending);
    const bool ko = lang == Lang::Ko;
    if (text == auth::code_sent_text(ending)) {
        return ko ? "끝자리가 " + digits +
                        "인 휴대전화로 인증번호를 보냈습니다. 6자리 인증번호를 "
                        "입력하십시오."
                  : "A verification code was sent by SMS to the mobile number ending in " + digits +
                        ". Enter the 6-digit code.";
    }
    if (text == auth::code_expired_text(ending)) {
        return ko ? "인증번호의 유효시간이 지나 끝자리가 " + digits +
                        "인 휴대전화로 새 인증번호를 보냈습니다. 새 인증번호를 입력하십시오."
                  : "The code has expired. A new one was sent by SMS to the mobile number "
                    "ending in " +
                        digits + ". Enter the new code.";
    }
    if (text == auth::code_wrong_text(ending)) {
        return ko ? "인증번호가 맞지 않습니다. 끝자리가 " + digits +
                        "인 휴대전화로 보낸 6자리 인증번호를 입력하십시오."
                  : "The code is not correct. Enter the 6-digit code sent to the mobile number "
                    "ending in " +
                        digits + ".";
    }
    return {};
}

}  // namespace

std::string login_text(Lang lang, std::string_view text) {
    if (auto coded = code_text(lang, text); !coded.empty()) {
        return coded;
    }
    if (lang == Lang::Ko) {
        for (const auto& [en, ko] : kFixed) {
            if (text == en) {
                return std::string(ko);
            }
        }
    }
    return std::string(text);
}

}  // namespace govmail::portal
