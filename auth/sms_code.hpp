#pragma once

// The pure parts of the SMS second factor (the flow is in database_authenticator.hpp):
// reading "password123456" as a password and a code, the digests codes and trusted
// credentials are stored as, the mobile number a code goes to, and the texts users see.
// No I/O.
//
// Digests: a code is stored as SHA-256 of a random salt and the code (a 6-digit code is
// guessed offline from any digest, so the digest only keeps codes out of plain sight; the
// attempt limit and the short lifetime are what protect them). A trusted credential is
// stored as SHA-256 of the account id, the account's password hash (PHC string) and the
// code: the exact string "password+code" it stands for is re-checked at every login by
// verifying the password part against the PHC string (Argon2id) and recomputing this digest,
// so the table holds nothing that helps guess the password, and a new password (a new PHC
// string with a new salt) ends every trust of the old one.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace govmail::auth {

inline constexpr std::size_t kSmsCodeDigits = 6;

struct CodedSecret {
    std::string_view password;  // everything before the code
    std::string_view code;      // the last six characters, all ASCII digits
};

// "secret123456" -> {"secret", "123456"}; nothing when SECRET does not end in six ASCII
// digits or has nothing before them.
std::optional<CodedSecret> split_code_suffix(std::string_view secret);

// The code itself comes from generate_sms_code() (auth/secrets.hpp).

// A random salt for a code's digest (hex text).
std::string generate_code_salt();

// SHA-256 of SALT and CODE (32 bytes).
std::string sms_code_digest(std::string_view salt, std::string_view code);

// SHA-256 over ACCOUNT, PASSWORD_PHC and CODE (32 bytes): a trusted credential's key.
std::string sms_trust_digest(
    std::int64_t account, std::string_view password_phc, std::string_view code
);

// Constant-time equality of two digests (false when the sizes differ).
bool same_digest(std::string_view a, std::string_view b);

// The number to send to from the directory's mobile phone field: digits and one leading '+'
// kept, spaces, dashes, dots and parentheses dropped ("010-1234-5678" -> "01012345678").
// Nothing when anything else is in it or it has fewer than 8 or more than 15 digits.
std::optional<std::string> sms_number(std::string_view directory_phone);

// The last four digits of NUMBER, as the user is told where the code went.
std::string_view number_ending(std::string_view number);

// The SMS itself, in Korean (the people it goes to read Korean).
std::string sms_text(std::string_view code, std::chrono::seconds lifetime);

// What a mail client shows. ENDING is number_ending() of the number.
std::string code_sent_text(std::string_view ending);
std::string code_expired_text(std::string_view ending);
std::string code_wrong_text(std::string_view ending);
inline constexpr std::string_view kCodeVoidText =
    "Too many wrong verification codes; log in with your password alone to get a new code by "
    "SMS";
inline constexpr std::string_view kNoMobileText =
    "No mobile phone number is on file for SMS verification; contact your administrator, or "
    "log in with a certificate or an app password";
inline constexpr std::string_view kCodeLimitText =
    "Too many verification codes were sent by SMS this hour; try again later, or log in with a "
    "certificate or an app password";
inline constexpr std::string_view kSmsUnavailableText =
    "The verification code could not be sent by SMS; try again later";

}  // namespace govmail::auth
