#include "auth/gpki_crl_refresh.hpp"

#include <openssl/http.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/crl_fetch_ldap.hpp"
#include "auth/gpki_certificate.hpp"
#include "auth/gpki_crl.hpp"
#include "common/hex.hpp"
#include "common/sha256.hpp"

namespace govmail::auth {
namespace fs = std::filesystem;

namespace {

// crl_dir/dp-<first 16 hex digits of SHA-256(url)>.crl: one stable file per point.
fs::path file_for(const fs::path& dir, const std::string& url) {
    return dir / ("dp-" + hex(sha256(url)).substr(0, 16) + ".crl");
}

std::string asn1_time_text(const ASN1_TIME* time) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    if (time == nullptr || !out || ASN1_TIME_print(out.get(), time) != 1) {
        return "none";
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

bool signed_by_bundle(X509_CRL* crl, const std::vector<X509Ptr>& authorities) {
    for (const auto& ca : authorities) {
        if (X509_NAME_cmp(X509_get_subject_name(ca.get()), X509_CRL_get_issuer(crl)) == 0 &&
            X509_CRL_verify(crl, X509_get0_pubkey(ca.get())) == 1) {
            return true;
        }
    }
    ERR_clear_error();
    return false;
}

// The CRL in FILE; null when there is none.
X509CrlPtr read_crl_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return nullptr;
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    return parse_crl(bytes.str());
}

// Why the CRL on file should stay rather than FRESH, or empty to replace it.
std::string keep_reason(X509_CRL* fresh, const fs::path& file) {
    const auto current = read_crl_file(file);
    if (current && ASN1_TIME_compare(
                       X509_CRL_get0_lastUpdate(fresh), X509_CRL_get0_lastUpdate(current.get())
                   ) < 0) {
        return "the fetched CRL is older than the one on file";
    }
    return {};
}

// A dot file beside FILE: the verifier's directory scan skips it.
fs::path temporary_for(const fs::path& file) {
    return file.parent_path() / ("." + file.filename().string() + ".tmp");
}

void write_temporary(X509_CRL* crl, const fs::path& file) {
    const auto temporary = temporary_for(file);
    const BioPtr out(BIO_new_file(temporary.c_str(), "w"));
    if (!out || PEM_write_bio_X509_CRL(out.get(), crl) != 1) {
        throw std::runtime_error("cannot write " + temporary.string() + ": " + openssl_error());
    }
}

// Fetches and checks URL's CRL, and writes it to the temporary of its file when it replaces
// the one on file (`updated`).
CrlRefreshResult stage_one(
    const std::string& url,
    const fs::path& dir,
    const std::vector<X509Ptr>& authorities,
    const CrlFetch& fetch
) {
    CrlRefreshResult result{url, file_for(dir, url).string(), false, {}};
    const std::string kept =
        fs::exists(result.file) ? "; kept the last good CRL" : "; no CRL on file for it yet";
    std::string error;
    const auto bytes = fetch(url, error);
    if (!bytes) {
        result.detail = "not fetched (" + error + ")" + kept;
        return result;
    }
    const auto crl = parse_crl(*bytes);
    if (!crl) {
        result.detail = "the response is not a CRL" + kept;
        return result;
    }
    if (!signed_by_bundle(crl.get(), authorities)) {
        result.detail = "the CRL is not signed by a CA of the bundle" + kept;
        return result;
    }
    if (auto reason = keep_reason(crl.get(), result.file); !reason.empty()) {
        result.detail = reason + kept;
        return result;
    }
    write_temporary(crl.get(), result.file);
    result.updated = true;
    result.detail = "updated; next update " + asn1_time_text(X509_CRL_get0_nextUpdate(crl.get()));
    return result;
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
    return std::chrono::system_clock::from_time_t(static_cast<std::time_t>(unix_time(time)));
}

// The DER CRL at an http:// URL.
std::optional<std::string> fetch_http_crl(
    const std::string& url, std::chrono::seconds timeout, std::size_t max_bytes, std::string& error
) {
    // expect_asn1: the whole DER body (RFC 5280 4.2.1.13) is read into a memory BIO.
    const BioPtr response(OSSL_HTTP_get(
        url.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr, nullptr, 1,
        max_bytes, static_cast<int>(timeout.count())
    ));
    if (!response) {
        error = openssl_error();
        return std::nullopt;
    }
    std::string bytes;
    std::array<char, 16384> chunk{};
    int n = 0;
    while ((n = BIO_read(response.get(), chunk.data(), static_cast<int>(chunk.size()))) > 0) {
        bytes.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return bytes;
}

}  // namespace

CrlFetch distribution_point_fetch(const GpkiConfig& config) {
    return [timeout = config.crl_fetch_timeout, max_bytes = config.crl_max_bytes](
               const std::string& url, std::string& error
           ) -> std::optional<std::string> {
        if (url.starts_with("ldap://")) {
            return fetch_ldap_crl(url, timeout, max_bytes, error);
        }
        if (url.starts_with("http://")) {
            return fetch_http_crl(url, timeout, max_bytes, error);
        }
        error = "only http:// and ldap:// distribution points are fetched";
        return std::nullopt;
    };
}

StagedCrls::~StagedCrls() {
    if (installed_) {
        return;
    }
    for (const auto& result : results_) {
        if (result.updated) {
            std::error_code ignored;
            fs::remove(temporary_for(result.file), ignored);
        }
    }
}

void StagedCrls::install() {
    for (const auto& result : results_) {
        if (result.updated) {
            fs::rename(temporary_for(result.file), result.file);
        }
    }
    installed_ = true;
}

StagedCrls stage_crls(
    const GpkiConfig& config, const std::vector<std::string>& urls, const CrlFetch& fetch
) {
    const auto authorities = read_pem_certificates(config.ca_bundle);
    fs::create_directories(config.crl_dir);
    std::vector<std::string> points = urls;
    StagedCrls staged;
    // POINTS grows by the delta CRL points found; each point is fetched once.
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& result =
            staged.results_.emplace_back(stage_one(points[i], config.crl_dir, authorities, fetch));
        const auto newest = result.updated ? temporary_for(result.file) : fs::path(result.file);
        if (const auto crl = read_crl_file(newest)) {
            for (auto& delta : freshest_crl_points(crl.get())) {
                if (std::find(points.begin(), points.end(), delta) == points.end()) {
                    points.push_back(std::move(delta));
                }
            }
        }
    }
    return staged;
}

std::vector<CrlRefreshResult> refresh_crls(
    const GpkiConfig& config, const std::vector<std::string>& urls, const CrlFetch& fetch
) {
    auto staged = stage_crls(config, urls, fetch);
    staged.install();
    return staged.results();
}

std::optional<CrlOnFile> crl_on_file(const fs::path& file) {
    const auto crl = read_crl_file(file);
    if (!crl) {
        return std::nullopt;
    }
    CrlOnFile out{
        name_text(X509_CRL_get_issuer(crl.get())),
        to_time_point(X509_CRL_get0_lastUpdate(crl.get())), std::nullopt};
    if (const auto* next = X509_CRL_get0_nextUpdate(crl.get()); next != nullptr) {
        out.next_update = to_time_point(next);
    }
    return out;
}

}  // namespace govmail::auth
