#include "auth/token_keys.hpp"

#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "common/hex.hpp"

namespace govmail::auth {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSuffix = ".pem";

bool is_p256(EVP_PKEY* key) {
    char group[64] = {};
    std::size_t length = 0;
    return EVP_PKEY_is_a(key, "EC") == 1 &&
           EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1 &&
           std::string_view(group, length) == "prime256v1";
}

EvpPkeyPtr read_key(const fs::path& file) {
    const BioPtr in(BIO_new_file(file.c_str(), "r"));
    EvpPkeyPtr key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr);
    ERR_clear_error();
    if (key && !is_p256(key.get())) {
        key.reset();
    }
    return key;
}

std::string new_kid(std::time_t now) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    const auto length = std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::array<unsigned char, 4> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("token key: no randomness: " + openssl_error());
    }
    return std::string(stamp, length) + "-" +
           hex(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

}  // namespace

std::vector<SigningKey> read_signing_keys(const fs::path& dir) {
    std::vector<SigningKey> keys;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (!entry.is_regular_file(ec) || !name.ends_with(kSuffix) || name.front() == '.') {
            continue;
        }
        auto key = read_key(entry.path());
        if (!key) {
            spdlog::warn("token: {} skipped: not an EC P-256 private key", entry.path().string());
            continue;
        }
        keys.push_back(SigningKey{name.substr(0, name.size() - kSuffix.size()), std::move(key)});
    }
    std::sort(keys.begin(), keys.end(), [](const SigningKey& a, const SigningKey& b) {
        return a.kid < b.kid;
    });
    return keys;
}

std::string create_signing_key(const fs::path& dir, std::time_t now) {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all);
    const EvpPkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        throw std::runtime_error("token key: generation failed: " + openssl_error());
    }
    const auto kid = new_kid(now);
    const auto file = dir / (kid + std::string(kSuffix));
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("token key: cannot create " + file.string());
    }
    const BioPtr out(BIO_new_fd(fd, BIO_CLOSE));
    if (!out ||
        PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1) {
        throw std::runtime_error(
            "token key: cannot write " + file.string() + ": " + openssl_error()
        );
    }
    return kid;
}

}  // namespace govmail::auth
