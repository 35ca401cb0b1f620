#include "auth/sms_code.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "common/hex.hpp"

namespace govmail::auth {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void random_bytes(unsigned char* out, std::size_t size) {
    if (RAND_bytes(out, static_cast<int>(size)) != 1) {
        throw std::runtime_error("no random bytes for an SMS code");
    }
}

// SHA-256 of the parts, each preceded by its length so no two part lists collide.
template <class... Parts>
std::string sha256_of(const Parts&... parts) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        throw std::runtime_error("SHA-256 unavailable");
    }
    const auto add = [&](std::string_view part) {
        const std::string length = std::to_string(part.size()) + ":";
        EVP_DigestUpdate(ctx, length.data(), length.size());
        EVP_DigestUpdate(ctx, part.data(), part.size());
    };
    (add(parts), ...);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx, digest.data(), &size);
    EVP_MD_CTX_free(ctx);
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

// LIFETIME in whole minutes, rounded up, at least one.
std::int64_t whole_minutes(std::chrono::seconds lifetime) {
    return std::max<std::int64_t>(1, (lifetime.count() + 59) / 60);
}

}  // namespace

std::optional<CodedSecret> split_code_suffix(std::string_view secret) {
    if (secret.size() <= kSmsCodeDigits) {
        return std::nullopt;
    }
    const auto split = secret.size() - kSmsCodeDigits;
    const auto code = secret.substr(split);
    for (const char c : code) {
        if (!is_digit(c)) {
            return std::nullopt;
        }
    }
    return CodedSecret{secret.substr(0, split), code};
}

std::string generate_code_salt() {
    std::array<unsigned char, 16> bytes{};
    random_bytes(bytes.data(), bytes.size());
    return hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string sms_code_digest(std::string_view salt, std::string_view code) {
    return sha256_of(std::string_view("govmail sms code"), salt, code);
}

std::string sms_trust_digest(
    std::int64_t account, std::string_view password_phc, std::string_view code
) {
    return sha256_of(
        std::string_view("govmail sms trust"), std::string_view(std::to_string(account)),
        password_phc, code
    );
}

bool same_digest(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> sms_number(std::string_view directory_phone) {
    std::string number;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < directory_phone.size(); ++i) {
        const char c = directory_phone[i];
        if (is_digit(c)) {
            number += c;
            ++digits;
        } else if (c == '+' && number.empty()) {
            number += c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (digits < 8 || digits > 15) {
        return std::nullopt;
    }
    return number;
}

std::string_view number_ending(std::string_view number) {
    return number.size() <= 4 ? number : number.substr(number.size() - 4);
}

std::string sms_text(std::string_view code, std::chrono::seconds lifetime) {
    return "[정부메일] 인증번호 " + std::string(code) + " (" +
           std::to_string(whole_minutes(lifetime)) + "분간 유효). 누구에게도 알려 주지 마십시오.";
}

std::string code_sent_text(std::string_view ending) {
    return "A verification code was sent by SMS to the mobile number ending in " +
           std::string(ending) + "; log in again with your password followed by the 6-digit code";
}

std::string code_expired_text(std::string_view ending) {
    return "The verification code has expired. A new one was sent by SMS to the mobile number "
           "ending in " +
           std::string(ending) + "; log in again with your password followed by the new code";
}

std::string code_wrong_text(std::string_view ending) {
    return "The verification code is not correct; log in again with your password followed by "
           "the 6-digit code sent to the mobile number ending in " +
           std::string(ending);
}

}  // namespace govmail::auth
