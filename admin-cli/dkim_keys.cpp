// DKIM keys under var_dir/dkim (admin-cli/dkim_keys.hpp).

#include "admin-cli/dkim_keys.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "auth/openssl_ptr.hpp"
#include "common/base64.hpp"

namespace govmail::admin {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKeySuffix = ".pem";
constexpr const char* kSigningFile = "signing";
constexpr unsigned kRsaBits = 2048;
constexpr std::size_t kMaxLabel = 63;

using auth::BioPtr;
using auth::EvpPkeyPtr;
using auth::openssl_error;

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

EvpPkeyPtr parse_pem(const std::string& pem) {
    const BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EvpPkeyPtr key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) {
        throw std::runtime_error("not a private key: " + openssl_error());
    }
    return key;
}

std::string private_pem(EVP_PKEY* key) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    if (!out ||
        PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        throw std::runtime_error("cannot encode the key: " + openssl_error());
    }
    char* data = nullptr;
    const auto length = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

std::string raw_key(EVP_PKEY* key, bool private_part) {
    std::array<unsigned char, 32> bytes{};
    std::size_t length = bytes.size();
    const int ok = private_part ? EVP_PKEY_get_raw_private_key(key, bytes.data(), &length)
                                : EVP_PKEY_get_raw_public_key(key, bytes.data(), &length);
    if (ok != 1) {
        throw std::runtime_error("cannot read the Ed25519 key: " + openssl_error());
    }
    return std::string(reinterpret_cast<const char*>(bytes.data()), length);
}

// The p= value: the DER SubjectPublicKeyInfo for RSA (RFC 6376 3.6.1), the bare 32-byte key
// for Ed25519 (RFC 8463 4.2), in base64.
std::string public_value(EVP_PKEY* key, DkimAlgorithm algorithm) {
    if (algorithm == DkimAlgorithm::Ed25519) {
        return encode_base64(raw_key(key, false));
    }
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0) {
        throw std::runtime_error("cannot encode the public key: " + openssl_error());
    }
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return encode_base64(out);
}

DkimKey describe(std::string domain, std::string selector, std::string pem, bool signing) {
    const auto key = parse_pem(pem);
    DkimKey out;
    if (EVP_PKEY_is_a(key.get(), "ED25519") == 1) {
        out.algorithm = DkimAlgorithm::Ed25519;
    } else if (EVP_PKEY_is_a(key.get(), "RSA") == 1) {
        out.algorithm = DkimAlgorithm::Rsa;
    } else {
        throw std::runtime_error("neither an RSA nor an Ed25519 key");
    }
    out.domain = std::move(domain);
    out.selector = std::move(selector);
    out.signing = signing;
    out.public_key = public_value(key.get(), out.algorithm);
    out.private_pem = std::move(pem);
    return out;
}

EvpPkeyPtr generate(DkimAlgorithm algorithm) {
    EvpPkeyPtr key(
        algorithm == DkimAlgorithm::Rsa
            ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{kRsaBits})
            : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
    );
    if (!key) {
        throw std::runtime_error("key generation failed: " + openssl_error());
    }
    return key;
}

// TEXT into a new FILE of mode 0600 (O_EXCL: never over an existing one).
void write_private(const fs::path& file, const std::string& text) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + file.string());
    }
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (::close(fd) != 0 || !written) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

void write_signing(const fs::path& domain_dir, const std::string& selector) {
    const auto temporary = domain_dir / (std::string(kSigningFile) + ".new");
    std::ofstream(temporary, std::ios::trunc) << selector << "\n";
    fs::rename(temporary, domain_dir / kSigningFile);
}

bool label_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool valid_label(std::string_view label) {
    return !label.empty() && label.size() <= kMaxLabel && label.front() != '-' &&
           label.back() != '-' && std::all_of(label.begin(), label.end(), label_character);
}

}  // namespace

std::string algorithm_name(DkimAlgorithm algorithm) {
    return algorithm == DkimAlgorithm::Rsa ? "rsa" : "ed25519";
}

std::optional<DkimAlgorithm> parse_algorithm(std::string_view name) {
    if (name == "rsa") {
        return DkimAlgorithm::Rsa;
    }
    if (name == "ed25519") {
        return DkimAlgorithm::Ed25519;
    }
    return std::nullopt;
}

bool valid_selector(std::string_view name) {
    std::size_t start = 0;
    while (true) {
        const auto dot = name.find('.', start);
        if (!valid_label(name.substr(start, dot - start))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

bool valid_domain(std::string_view name) {
    return name.size() <= 253 && name.find('.') != std::string_view::npos && valid_selector(name);
}

std::string dns_name(const DkimKey& key) { return key.selector + "._domainkey." + key.domain; }

std::string dns_txt(const DkimKey& key) {
    return "v=DKIM1; k=" + algorithm_name(key.algorithm) + "; p=" + key.public_key;
}

std::string rspamd_key(const DkimKey& key) {
    if (key.algorithm == DkimAlgorithm::Rsa) {
        return key.private_pem;
    }
    const auto pkey = parse_pem(key.private_pem);
    // libsodium's secret key form, as `rspamadm dkim_keygen -t ed25519` prints it.
    return encode_base64(raw_key(pkey.get(), true) + raw_key(pkey.get(), false));
}

std::vector<DkimKey> DkimKeyStore::list(const std::string& domain) const {
    std::vector<DkimKey> keys;
    std::error_code ec;
    for (const auto& domain_dir : fs::directory_iterator(dir_, ec)) {
        const auto name = domain_dir.path().filename().string();
        if (!domain_dir.is_directory() || (!domain.empty() && name != domain)) {
            continue;
        }
        auto signing = read_text(domain_dir.path() / kSigningFile);
        signing = signing.substr(0, signing.find('\n'));
        for (const auto& file : fs::directory_iterator(domain_dir.path())) {
            const auto file_name = file.path().filename().string();
            if (!file.is_regular_file() || !file_name.ends_with(kKeySuffix)) {
                continue;
            }
            auto selector = file_name.substr(0, file_name.size() - kKeySuffix.size());
            const bool signs = selector == signing;
            keys.push_back(describe(name, std::move(selector), read_text(file.path()), signs));
        }
    }
    std::sort(keys.begin(), keys.end(), [](const DkimKey& a, const DkimKey& b) {
        return std::tie(a.domain, a.selector) < std::tie(b.domain, b.selector);
    });
    return keys;
}

DkimKey DkimKeyStore::create(
    const std::string& domain, const std::string& selector, DkimAlgorithm algorithm
) {
    const auto domain_dir = dir_ / domain;
    fs::create_directories(domain_dir);
    fs::permissions(dir_, fs::perms::owner_all);
    fs::permissions(domain_dir, fs::perms::owner_all);
    const auto key = generate(algorithm);
    auto pem = private_pem(key.get());
    write_private(domain_dir / (selector + std::string(kKeySuffix)), pem);
    write_signing(domain_dir, selector);
    return describe(domain, selector, std::move(pem), true);
}

bool DkimKeyStore::remove(const std::string& domain, const std::string& selector) {
    return fs::remove(dir_ / domain / (selector + std::string(kKeySuffix)));
}

std::string DkimKeyStore::new_selector(const std::string& domain) const {
    const auto now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::array<char, 16> day{};
    const auto length = std::strftime(day.data(), day.size(), "s%Y%m%d", &utc);
    const std::string base(day.data(), length);
    auto candidate = base;
    for (int n = 2; fs::exists(dir_ / domain / (candidate + std::string(kKeySuffix))); ++n) {
        candidate = base + "-" + std::to_string(n);
    }
    return candidate;
}

}  // namespace govmail::admin
