// SRS0 addresses (see srs.hpp).

#include "smtpd/lib/srs.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "common/ascii.hpp"
#include "common/base64.hpp"

namespace govmail::smtpd::srs {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::int64_t kTimeSlots = 1024;  // days; TT is two base32 characters
constexpr std::size_t kHashLength = 4;
constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t today(const Key& key) { return (key.now / kSecondsPerDay) % kTimeSlots; }

std::string timestamp(std::int64_t day) {
    return {
        kBase32[static_cast<std::size_t>((day >> 5) & 31)],
        kBase32[static_cast<std::size_t>(day & 31)]};
}

std::optional<std::int64_t> parse_timestamp(std::string_view tt) {
    if (tt.size() != 2) {
        return std::nullopt;
    }
    std::int64_t day = 0;
    for (const char c : tt) {
        const auto at = kBase32.find(ascii::to_upper(c));
        if (at == std::string_view::npos) {
            return std::nullopt;
        }
        day = day * 32 + static_cast<std::int64_t>(at);
    }
    return day;
}

std::string hash(
    const Key& key, std::string_view tt, std::string_view domain, std::string_view local
) {
    const std::string message =
        ascii::lower(std::string(tt) + std::string(domain) + std::string(local));
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    HMAC(
        EVP_sha1(), key.secret.data(), static_cast<int>(key.secret.size()),
        reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &length
    );
    return encode_base64(std::string_view(reinterpret_cast<const char*>(mac.data()), length))
        .substr(0, kHashLength);
}

}  // namespace

std::optional<std::string> forward(const Key& key, std::string_view sender) {
    const auto at = sender.rfind('@');
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    const auto local = sender.substr(0, at);
    const auto domain = sender.substr(at + 1);
    const auto tt = timestamp(today(key));
    return "SRS0=" + hash(key, tt, domain, local) + "=" + tt + "=" + std::string(domain) + "=" +
           std::string(local) + "@" + std::string(key.domain);
}

bool is_srs(std::string_view local_part) {
    return local_part.size() > 5 && ascii::iequals(local_part.substr(0, 4), "SRS0") &&
           (local_part[4] == '=' || local_part[4] == '+' || local_part[4] == '-');
}

std::optional<std::string> reverse(const Key& key, std::string_view local_part) {
    if (!is_srs(local_part)) {
        return std::nullopt;
    }
    // HHHH=TT=domain=local, the local part itself may hold '='.
    std::array<std::string_view, 3> fields;
    auto rest = local_part.substr(5);
    for (auto& field : fields) {
        const auto sep = rest.find('=');
        if (sep == std::string_view::npos) {
            return std::nullopt;
        }
        field = rest.substr(0, sep);
        rest = rest.substr(sep + 1);
    }
    const auto& [given_hash, tt, domain] = fields;
    const auto day = parse_timestamp(tt);
    if (!day || domain.empty() || rest.empty() ||
        !ascii::iequals(given_hash, hash(key, tt, domain, rest))) {
        return std::nullopt;
    }
    const auto age = (today(key) - *day + kTimeSlots) % kTimeSlots;
    if (age > key.max_age_days) {
        return std::nullopt;
    }
    return std::string(rest) + "@" + std::string(domain);
}

}  // namespace govmail::smtpd::srs
