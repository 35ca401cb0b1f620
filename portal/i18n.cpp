#include "portal/i18n.hpp"

#include <array>

namespace govmail::portal {
namespace {

struct Entry {
    Msg message;
    std::string_view ko;
    std::string_view en;
};

// The catalogue, in Msg order (checked at compile time below).
constexpr std::array kCatalogue{
    Entry{Msg::PortalName, "정부메일 사용자 포털", "Government mail self-service portal"},
    Entry{Msg::Home, "처음", "Home"},
    Entry{Msg::SignIn, "로그인", "Sign in"},
    Entry{Msg::SignOut, "로그아웃", "Sign out"},
    Entry{Msg::UserId, "아이디", "User ID"},
    Entry{Msg::Password, "비밀번호", "Password"},
    Entry{Msg::SignInButton, "로그인", "Sign in"},
    Entry{Msg::SmsCodeTitle, "문자 인증번호 입력", "Enter the SMS code"},
    Entry{Msg::SmsCode, "인증번호 (6자리)", "Verification code (6 digits)"},
    Entry{Msg::Verify, "확인", "Verify"},
    Entry{Msg::CertificateSignIn, "GPKI 인증서로 로그인", "Sign in with a GPKI certificate"},
    Entry{Msg::CertificateButton, "인증서로 로그인", "Sign in with my certificate"},
    Entry{Msg::OnePassButton, "디지털원패스로 로그인", "Sign in with Digital OnePass"},
    Entry{Msg::SignedInAs, "로그인한 계정", "Signed in as"},
    Entry{Msg::AppPasswords, "앱 비밀번호", "App passwords"},
    Entry{Msg::DeviceName, "기기 이름", "Device name"},
    Entry{Msg::Create, "만들기", "Create"},
    Entry{Msg::Revoke, "폐기", "Revoke"},
    Entry{
        Msg::SecretShownOnce, "새 앱 비밀번호입니다. 지금 한 번만 보여 드립니다:",
        "Your new app password. It is shown this once only:"},
    Entry{Msg::CreatedAt, "만든 때", "Created"},
    Entry{Msg::LastUsed, "마지막 사용", "Last used"},
    Entry{Msg::Never, "없음", "Never"},
    Entry{Msg::NoAppPasswords, "앱 비밀번호가 없습니다.", "You have no app passwords."},
    Entry{Msg::DeviceNameNeeded, "기기 이름을 입력하십시오.", "Enter a device name."},
    Entry{
        Msg::DeviceNameTaken, "같은 이름의 앱 비밀번호가 이미 있습니다.",
        "An app password with that device name exists already."},
    Entry{Msg::Away, "부재중 자동응답", "Away message"},
    Entry{Msg::AwayIsOn, "자동응답이 켜져 있습니다.", "The away message is on."},
    Entry{Msg::AwayIsOff, "자동응답이 꺼져 있습니다.", "The away message is off."},
    Entry{
        Msg::AwaySubject, "제목 (비우면 \"Auto: \"와 원래 제목)",
        "Subject (empty: \"Auto: \" and the original subject)"},
    Entry{Msg::AwayBody, "내용", "Message"},
    Entry{Msg::AwayStart, "시작일 (선택)", "First day (optional)"},
    Entry{Msg::AwayEnd, "종료일 (선택)", "Last day (optional)"},
    Entry{Msg::AwayScope, "응답 대상", "Reply to"},
    Entry{Msg::AwayScopeAll, "모든 발신자", "Every sender"},
    Entry{Msg::AwayScopeOrganisation, "기관 내 발신자만", "Senders in the organisation only"},
    Entry{Msg::AwaySave, "저장하고 켜기", "Save and turn on"},
    Entry{Msg::AwayTurnOff, "자동응답 끄기", "Turn the away message off"},
    Entry{
        Msg::AwaySaved, "자동응답을 저장하고 켰습니다.",
        "The away message was saved and turned on."},
    Entry{Msg::Forbidden, "접근이 허용되지 않습니다.", "Access is not allowed."},
    Entry{Msg::NotFound, "페이지가 없습니다.", "There is no such page."},
    Entry{
        Msg::CsrfRefused, "요청을 확인할 수 없습니다. 페이지를 새로 불러 다시 시도하십시오.",
        "The request could not be verified. Reload the page and try again."},
    Entry{
        Msg::TemporaryError, "일시적인 오류입니다. 잠시 후 다시 시도하십시오.",
        "A temporary error occurred. Try again later."},
};

constexpr bool in_order() {
    for (std::size_t i = 0; i < kCatalogue.size(); ++i) {
        if (static_cast<std::size_t>(kCatalogue[i].message) != i) {
            return false;
        }
    }
    return true;
}
static_assert(in_order(), "kCatalogue must list every Msg in declaration order");
static_assert(kCatalogue.size() == static_cast<std::size_t>(Msg::TemporaryError) + 1);

}  // namespace

std::string_view lang_code(Lang lang) { return lang == Lang::En ? "en" : "ko"; }

Lang lang_from_code(std::string_view code) { return code == "en" ? Lang::En : Lang::Ko; }

std::string_view tr(Lang lang, Msg message) {
    const auto& entry = kCatalogue[static_cast<std::size_t>(message)];
    return lang == Lang::En ? entry.en : entry.ko;
}

}  // namespace govmail::portal
