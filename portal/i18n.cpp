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
    Entry{
        Msg::AwayDays, "같은 발신자에게 다시 응답하는 간격 (일)",
        "Days before the same sender is answered again"},
    Entry{Msg::AwaySave, "저장하고 켜기", "Save and turn on"},
    Entry{Msg::AwayTurnOff, "자동응답 끄기", "Turn the away message off"},
    Entry{
        Msg::AwaySaved, "자동응답을 저장하고 켰습니다.",
        "The away message was saved and turned on."},
    Entry{
        Msg::OnePassRefused, "디지털원패스 로그인을 확인할 수 없습니다. 다시 로그인하십시오.",
        "The Digital OnePass sign-in could not be verified. Sign in again."},
    Entry{
        Msg::AccountRefused, "이 계정으로는 로그인할 수 없습니다. 관리자에게 문의하십시오.",
        "This account cannot sign in. Contact your administrator."},
    Entry{Msg::Signup, "메일 계정 신청", "Ask for a mail account"},
    Entry{
        Msg::SignupIntro, "메일 계정이 없습니다. 인사 정보의 메일 ID로 계정을 신청할 수 있습니다.",
        "You have no mail account. You can ask for one with the mail ID of the directory."},
    Entry{
        Msg::SignupNeedsSignIn, "먼저 디지털원패스나 GPKI 인증서로 로그인하십시오.",
        "Sign in with Digital OnePass or your GPKI certificate first."},
    Entry{
        Msg::SignupNotInDirectory, "인사 정보에서 찾을 수 없습니다. 관리자에게 문의하십시오.",
        "You are not in the directory. Contact your administrator."},
    Entry{
        Msg::SignupNotAllowed, "이 네트워크에서는 계정 신청을 받지 않습니다.",
        "Signup requests are not accepted from this network."},
    Entry{
        Msg::SignupRetired, "퇴직자는 계정을 신청할 수 없습니다.",
        "People who have left cannot ask for an account."},
    Entry{Msg::SignupSubmit, "계정 신청하기", "Ask for the account"},
    Entry{
        Msg::SignupFiled,
        "계정 신청이 접수되었습니다. 관리자가 승인하면 로그인할 수 있습니다. 신청 번호:",
        "Your request was filed. You can sign in once your administrator approves it. Request "
        "number:"},
    Entry{
        Msg::SignupPending, "이 메일 ID의 신청이 이미 처리 중입니다.",
        "A request for this mail ID is pending already."},
    Entry{Msg::PersonName, "이름", "Name"},
    Entry{Msg::EmployeeNo, "직원 번호", "Employee number"},
    Entry{Msg::MailId, "메일 ID", "Mail ID"},
    Entry{Msg::DirectoryChecks, "인사 정보 확인", "Directory checks"},
    Entry{Msg::CheckInDirectory, "인사 정보에 있음", "In the directory"},
    Entry{Msg::CheckMailId, "메일 ID가 인사 정보와 같음", "The mail ID is the directory's"},
    Entry{Msg::CheckOfficePhone, "사무실 전화번호 있음", "An office phone is on file"},
    Entry{Msg::CheckMobilePhone, "휴대전화 번호 있음", "A mobile phone is on file"},
    Entry{Msg::CheckPassed, "통과", "passed"},
    Entry{Msg::CheckFailed, "미통과", "failed"},
    Entry{Msg::OAuthConsent, "메일 접근 허용", "Allow mail access"},
    Entry{
        Msg::OAuthConsentText, "다음 프로그램이 내 메일 계정(IMAP, SMTP)에 접근하려고 합니다:",
        "This application asks for access to your mail (IMAP, SMTP):"},
    Entry{Msg::OAuthAllow, "허용", "Allow"},
    Entry{Msg::OAuthDeny, "거부", "Deny"},
    Entry{
        Msg::OAuthBadRequest, "잘못된 인증 요청입니다:", "The authorisation request is not valid:"},
    Entry{Msg::Backup, "메일함 백업", "Mailbox backup"},
    Entry{Msg::BackupChoose, "백업할 메일함", "Mailboxes to back up"},
    Entry{Msg::BackupRequest, "백업 요청", "Request a backup"},
    Entry{Msg::BackupNoneChosen, "메일함을 하나 이상 고르십시오.", "Choose at least one mailbox."},
    Entry{Msg::BackupList, "백업 목록", "Your backups"},
    Entry{Msg::NoBackups, "요청한 백업이 없습니다.", "You have no backups."},
    Entry{Msg::BackupMailboxes, "메일함", "Mailboxes"},
    Entry{Msg::BackupAllMailboxes, "전체 메일함", "Every mailbox"},
    Entry{Msg::BackupState, "상태", "State"},
    Entry{Msg::BackupPending, "대기 중", "Waiting"},
    Entry{Msg::BackupBuilding, "만드는 중", "Being built"},
    Entry{Msg::BackupReady, "완료", "Ready"},
    Entry{Msg::BackupFailed, "실패", "Failed"},
    Entry{Msg::BackupExpired, "기한 지남", "Expired"},
    Entry{Msg::BackupSize, "크기", "Size"},
    Entry{Msg::BackupExpires, "내려받기 기한", "Download until"},
    Entry{Msg::BackupDownload, "내려받기", "Download"},
    Entry{Msg::BackupDelete, "삭제", "Delete"},
    Entry{
        Msg::BackupInProgress,
        "백업을 만드는 중입니다. 이 페이지는 10초마다 저절로 새로 고쳐집니다.",
        "A backup is being built. This page reloads itself every 10 seconds."},
    Entry{Msg::AddressBook, "주소록", "Address book"},
    Entry{
        Msg::AddressBookExplain,
        "주소록을 CSV 파일(UTF-8)로 내려받아 스프레드시트 프로그램에서 열 수 있습니다.",
        "Download your address book as a CSV file (UTF-8) to open it in spreadsheet software."},
    Entry{Msg::AddressBookDownload, "주소록 CSV 내려받기", "Download the address book (CSV)"},
    Entry{Msg::ChangePassword, "비밀번호 변경", "Change password"},
    Entry{Msg::CurrentPassword, "현재 비밀번호", "Current password"},
    Entry{Msg::NewPassword, "새 비밀번호 (8자 이상)", "New password (at least 8 characters)"},
    Entry{Msg::NewPasswordAgain, "새 비밀번호 확인", "New password again"},
    Entry{
        Msg::PasswordsDiffer, "새 비밀번호 두 개가 서로 다릅니다.",
        "The two new passwords differ."},
    Entry{
        Msg::PasswordPolicy, "비밀번호는 8자 이상, 1024바이트 이하의 UTF-8 문자열이어야 합니다.",
        "A password needs at least 8 characters, at most 1024 bytes of UTF-8 text."},
    Entry{
        Msg::CurrentPasswordWrong, "현재 비밀번호가 맞지 않습니다.",
        "The current password is wrong."},
    Entry{
        Msg::TooManyAttempts, "시도가 너무 많습니다. 잠시 후 다시 시도하십시오.",
        "Too many attempts; try again later."},
    Entry{
        Msg::PasswordChanged, "비밀번호를 바꿨습니다. 다른 곳의 포털 로그인은 모두 끝났습니다.",
        "Your password was changed. Your portal sessions elsewhere were ended."},
    Entry{Msg::MobilePhone, "휴대전화 번호 변경", "Change mobile number"},
    Entry{Msg::CurrentMobile, "등록된 휴대전화 번호", "Mobile number on file"},
    Entry{Msg::NoMobile, "등록된 번호 없음", "None on file"},
    Entry{Msg::NewMobile, "새 휴대전화 번호", "New mobile number"},
    Entry{Msg::SendCode, "인증번호 보내기", "Send a code"},
    Entry{
        Msg::MobileInvalid, "휴대전화 번호를 숫자로 입력하십시오 (예: 010-1234-5678).",
        "Enter the mobile number in digits (for example 010-1234-5678)."},
    Entry{
        Msg::MobileNotPerson, "이 계정에는 휴대전화 번호를 둘 수 없습니다.",
        "This account cannot have a mobile number."},
    Entry{
        Msg::MobileCodeSent, "새 번호로 인증번호를 보냈습니다. 5분 안에 입력하십시오.",
        "A code was sent to the new number. Enter it within 5 minutes."},
    Entry{
        Msg::MobileCodeWrong, "인증번호가 맞지 않거나 기한이 지났습니다.",
        "The code is wrong or has expired."},
    Entry{
        Msg::MobileCodeLimit, "인증번호를 너무 많이 보냈습니다. 잠시 후 다시 시도하십시오.",
        "Too many codes were sent; try again later."},
    Entry{Msg::MobileChanged, "휴대전화 번호를 바꿨습니다.", "Your mobile number was changed."},
    // sign-in and first password (issue 19)
    Entry{
        Msg::SignInExpired, "로그인 시간이 지났거나 이미 사용했습니다. 다시 로그인하십시오.",
        "The sign-in has expired or was used already. Sign in again."},
    Entry{Msg::FirstPassword, "처음 비밀번호 정하기", "Set your first password"},
    Entry{
        Msg::FirstPasswordIntro,
        "이 계정에는 아직 비밀번호가 없습니다. 인사 정보에 등록된 휴대전화로 인증번호를 받아 "
        "처음 비밀번호를 정하십시오. 그 뒤에는 아이디, 비밀번호와 문자 인증번호로 로그인할 수 "
        "있습니다.",
        "This account has no password yet. Get a code sent to the mobile number in the "
        "directory and set your first password. Then you can sign in with your ID, password "
        "and SMS code."},
    Entry{
        Msg::FirstPasswordNoMobile,
        "인사 정보에 휴대전화 번호가 없어 인증번호를 보낼 수 없습니다. 관리자에게 문의하십시오.",
        "The directory has no mobile number to send a code to; contact your administrator."},
    Entry{
        Msg::FirstPasswordCodeSent,
        "인사 정보에 등록된 휴대전화로 인증번호를 보냈습니다. 5분 안에 인증번호와 새 비밀번호를 "
        "입력하십시오.",
        "A code was sent to the mobile number in the directory. Enter it and your new password "
        "within 5 minutes."},
    Entry{
        Msg::FirstPasswordSet,
        "비밀번호를 정했습니다. 이제 아이디, 비밀번호와 문자 인증번호로 로그인할 수 있습니다.",
        "Your password is set. You can now sign in with your ID, password and SMS code."},
    Entry{
        Msg::AddressBookDownloadEnglish, "영문 제목 행으로 내려받기 (CSV)",
        "Download with English column names (CSV)"},
    Entry{Msg::FolderInbox, "받은편지함", "Inbox"},
    Entry{Msg::FolderSent, "보낸편지함", "Sent"},
    Entry{Msg::FolderDrafts, "임시보관함", "Drafts"},
    Entry{Msg::FolderTrash, "휴지통", "Trash"},
    Entry{Msg::FolderJunk, "스팸편지함", "Junk"},
    Entry{Msg::FolderArchive, "보관함", "Archive"},
    Entry{Msg::SkipToContent, "본문 바로가기", "Skip to the content"},
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
