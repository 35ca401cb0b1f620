#include "admin-cli/gpki_crl_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "admin-cli/gpki_crl_points.hpp"
#include "admin-cli/gpki_dev_ca.hpp"
#include "auth/gpki_crl_refresh.hpp"
#include "auth/gpki_crl_schedule.hpp"
#include "common/logging.hpp"

namespace govmail::admin {
namespace {

namespace fs = std::filesystem;
using auth::CrlFreshness;
using auth::SystemTime;
using Clock = std::chrono::system_clock;

// The longest sleep between rounds: points of newly bound certificates are picked up, and CRLs
// checked for expiry, at least this often.
constexpr std::chrono::seconds kLongestSleep{60};
// The development CA's CRL in the plan: issued here, not fetched.
constexpr std::string_view kDevCrlPoint = "development CA";

std::int64_t unix_seconds(SystemTime time) { return Clock::to_time_t(time); }

class CrlWatch {
public:
    CrlWatch(AdminContext& context, std::vector<std::string> extra)
        : context_(context),
          config_(context.config().auth.gpki),
          extra_(std::move(extra)),
          plan_(config_),
          fetch_(auth::distribution_point_fetch(config_)),
          dev_ca_(uses_dev_ca(context.config())) {}

    void round(SystemTime now) {
        refresh_points(now);
        if (dev_ca_) {
            refresh_dev_crl(now);
        }
        for (const auto& [point, file] : files_) {
            check_expiry(point, file, now);
        }
    }

    SystemTime next_round(SystemTime now) const {
        return std::min(plan_.next_due(now), now + kLongestSleep);
    }

private:
    void refresh_points(SystemTime now) {
        auto known = known_crl_points(context_, extra_);
        if (auto* points = std::get_if<std::vector<std::string>>(&known)) {
            points_ = std::move(*points);
        } else {
            spdlog::warn(
                "{}; refreshing the {} points known before", std::get<Outcome>(known).message,
                points_.size()
            );
        }
        auto candidates = points_;
        for (const auto& [point, file] : files_) {
            if (point != kDevCrlPoint &&
                std::find(candidates.begin(), candidates.end(), point) == candidates.end()) {
                candidates.push_back(point);  // a delta CRL point found in a CRL on file
            }
        }
        const auto due = plan_.due(candidates, now);
        if (due.empty()) {
            return;
        }
        for (const auto& result : auth::refresh_crls(config_, due, fetch_)) {
            files_[result.url] = result.file;
            const auto on_file = auth::crl_on_file(result.file);
            if (result.updated && on_file) {
                plan_.installed(result.url, now, on_file->next_update);
                spdlog::info("{}: {}", result.url, result.detail);
            } else {
                plan_.failed(result.url, now);
                spdlog::warn("{}: {}", result.url, result.detail);
            }
        }
    }

    void refresh_dev_crl(SystemTime now) {
        const std::string point(kDevCrlPoint);
        if (plan_.due({point}, now).empty()) {
            return;
        }
        const auto file = dev_crl_file(context_.config());
        issue_dev_crl(context_.config());
        files_[point] = file;
        const auto crl = auth::crl_on_file(file);
        plan_.installed(point, now, crl ? crl->next_update : std::nullopt);
        spdlog::info("{}: issued {}", point, file.string());
    }

    // Logs and audits the CRL in FILE once when it comes within the warning window of its
    // nextUpdate and once when that passes.
    void check_expiry(const std::string& point, const fs::path& file, SystemTime now) {
        const auto crl = auth::crl_on_file(file);
        if (!crl) {
            return;
        }
        const auto state = auth::crl_freshness(now, crl->next_update, config_.crl_expiry_warning);
        const Warned current{state, crl->last_update};
        if (state == CrlFreshness::Current || warned_[file] == current) {
            return;
        }
        const bool expired = state == CrlFreshness::Expired;
        const auto detail = "the CRL of " + crl->issuer + " from " + point +
                            (expired ? " expired at " : " expires at ") +
                            iso_time(unix_seconds(*crl->next_update));
        spdlog::warn("{}", detail);
        const auto audited = context_.audit(
            expired ? "gpki.crl-expired" : "gpki.crl-expiring", std::nullopt, detail
        );
        if (!audited) {
            spdlog::error("audit log: {}; trying again next round", audited.error().message());
            return;
        }
        warned_[file] = current;
    }

    // The state last reported for a CRL file, and the CRL (by lastUpdate) it was about.
    struct Warned {
        CrlFreshness state = CrlFreshness::Current;
        SystemTime last_update;
        bool operator==(const Warned&) const = default;
    };

    AdminContext& context_;
    const GpkiConfig& config_;
    std::vector<std::string> extra_;
    std::vector<std::string> points_;        // as last read; kept while the database is down
    std::map<std::string, fs::path> files_;  // every point refreshed so far, and its CRL file
    auth::CrlRefreshPlan plan_;
    auth::CrlFetch fetch_;
    bool dev_ca_;
    std::map<fs::path, Warned> warned_;
};

}  // namespace

Outcome watch_crls(AdminContext& context, const std::vector<std::string>& extra_urls) {
    init_logging("info");
    const auto& config = context.config().auth.gpki;
    spdlog::info(
        "CRL refresher: each point after at most {} s or {} % of its CRL's time left, retries "
        "after {} to {} s, warning {} s before expiry",
        config.crl_refresh_interval.count(), config.crl_refresh_percent,
        config.crl_retry_min.count(), config.crl_retry_max.count(),
        config.crl_expiry_warning.count()
    );
    CrlWatch watch(context, extra_urls);
    for (;;) {
        const auto now = Clock::now();
        try {
            watch.round(now);
        } catch (const std::exception& e) {
            spdlog::error("CRL refresh round failed: {}", e.what());
        }
        std::this_thread::sleep_until(watch.next_round(now));
    }
}

}  // namespace govmail::admin
