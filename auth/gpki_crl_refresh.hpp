#pragma once

// `mailadm gpki crl refresh`: fetch each CRL distribution point (http:// or ldap://) and keep
// its CRL in the CRL directory, replacing the file only with a CRL that parses, is signed by a CA
// of the bundle and is not older than the one on file. When a point is unreachable or serves
// something else, the last good CRL stays (and logins go on until its nextUpdate passes).

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/config.hpp"

namespace govmail::auth {

// Fetches URL; nullopt with ERROR set when that fails.
using CrlFetch =
    std::function<std::optional<std::string>(const std::string& url, std::string& error)>;

// A distribution point as RFC 5280 4.2.1.13 allows: plain HTTP serving a DER CRL, or an LDAP
// entry (crl_fetch_ldap.hpp); CRLs are signed, so no TLS is needed. CONFIG's
// crl_fetch_timeout bounds each step of a request and crl_max_bytes the answer. Other schemes
// are reported as not fetchable.
CrlFetch distribution_point_fetch(const GpkiConfig& config);

struct CrlRefreshResult {
    std::string url;
    std::string file;  // where its CRL is kept
    bool updated = false;
    std::string detail;  // "updated, next update ..." or why the last good CRL was kept
};

// The CRLs a refresh fetched and checked, each written beside the file it replaces (a dot
// file the verifier does not read) until install() renames them into place; those not
// installed are removed when this goes.
class StagedCrls {
public:
    StagedCrls() = default;
    ~StagedCrls();
    StagedCrls(StagedCrls&&) = default;
    StagedCrls& operator=(StagedCrls&&) = delete;
    StagedCrls(const StagedCrls&) = delete;
    StagedCrls& operator=(const StagedCrls&) = delete;

    // One a point, in the order fetched; `updated` for those staged.
    const std::vector<CrlRefreshResult>& results() const { return results_; }
    // Puts every staged CRL in place. Throws std::filesystem::filesystem_error.
    void install();

private:
    friend StagedCrls stage_crls(
        const GpkiConfig& config, const std::vector<std::string>& urls, const CrlFetch& fetch
    );

    std::vector<CrlRefreshResult> results_;
    bool installed_ = false;
};

// Fetches and checks the CRL of every URL, then of the delta CRL points (freshestCRL) of the
// CRLs staged or on file for them, and stages those that replace the one on file. Throws
// std::runtime_error when the CA bundle or the CRL directory cannot be used at all.
StagedCrls stage_crls(
    const GpkiConfig& config, const std::vector<std::string>& urls, const CrlFetch& fetch
);

// stage_crls(), then install().
std::vector<CrlRefreshResult> refresh_crls(
    const GpkiConfig& config, const std::vector<std::string>& urls, const CrlFetch& fetch
);

// What the refresher needs to know of a CRL on file.
struct CrlOnFile {
    std::string issuer;  // the CA's name, RFC 2253
    std::chrono::system_clock::time_point last_update;
    std::optional<std::chrono::system_clock::time_point> next_update;  // none: it has none
};

// The CRL in FILE; nullopt when there is none or it does not parse.
std::optional<CrlOnFile> crl_on_file(const std::filesystem::path& file);

}  // namespace govmail::auth
