#pragma once

// The portal's languages (Korean by default, English on request) and its message catalogue:
// every text a page shows is a Msg looked up here, in one place.

#include <string_view>

namespace govmail::portal {

enum class Lang { Ko, En };

enum class Msg {
    PortalName,
    Home,
    SignIn,
    SignOut,
    UserId,
    Password,
    SignInButton,
    SmsCodeTitle,
    SmsCode,
    Verify,
    CertificateSignIn,
    CertificateButton,
    OnePassButton,
    SignedInAs,
    AppPasswords,
    DeviceName,
    Create,
    Revoke,
    SecretShownOnce,
    CreatedAt,
    LastUsed,
    Never,
    NoAppPasswords,
    DeviceNameNeeded,
    DeviceNameTaken,
    Away,
    AwayIsOn,
    AwayIsOff,
    AwaySubject,
    AwayBody,
    AwayStart,
    AwayEnd,
    AwayScope,
    AwayScopeAll,
    AwayScopeOrganisation,
    AwaySave,
    AwayTurnOff,
    AwaySaved,
    Forbidden,
    NotFound,
    CsrfRefused,
    TemporaryError,
};

// "ko" or "en", for <html lang> and the language cookie.
std::string_view lang_code(Lang lang);

// The language CODE names ("en", "ko"); Korean for anything else.
Lang lang_from_code(std::string_view code);

// The text of MESSAGE in LANG (UTF-8).
std::string_view tr(Lang lang, Msg message);

}  // namespace govmail::portal
