// mailadm gpki crl refresh: fetch the CRL of every distribution point (http:// or ldap://) the
// suite knows (admin-cli/gpki_crl_points.hpp) into the CRL directory, keeping the last good
// CRL of a point that cannot be fetched; with --watch, keep doing so on a schedule (the CRL
// refresher `govmail start` runs, admin-cli/gpki_crl_watch.hpp). A refresh replaces the CRLs on
// file only inside the transaction of its gpki.crl-refresh audit entry.

#include "admin-cli/commands.hpp"
#include "admin-cli/gpki_crl_points.hpp"
#include "admin-cli/gpki_crl_watch.hpp"
#include "auth/gpki_crl_refresh.hpp"
#include "storage/audited.hpp"

namespace govmail::admin {
namespace {

struct RefreshOptions {
    std::vector<std::string> urls;
    bool watch = false;
};

Outcome refresh(AdminContext& context, const RefreshOptions& options) {
    const auto& config = context.config().auth.gpki;
    if (config.ca_bundle.empty()) {
        return refused("certificate login is off: set [gpki] ca_bundle first");
    }
    if (options.watch) {
        return watch_crls(context, options.urls);
    }
    auto known = known_crl_points(context, options.urls);
    if (auto* failed = std::get_if<Outcome>(&known)) {
        return std::move(*failed);
    }
    auto staged = auth::stage_crls(
        config, std::get<std::vector<std::string>>(known), auth::distribution_point_fetch(config)
    );
    Json rows = Json::array();
    std::size_t updated = 0;
    for (const auto& result : staged.results()) {
        updated += result.updated ? 1 : 0;
        rows.push_back(Json{
            {"url", result.url},
            {"file", result.file},
            {"updated", result.updated},
            {"detail", result.detail}});
    }
    const auto summary = std::to_string(updated) + " of " +
                         std::to_string(staged.results().size()) + " CRLs updated";
    const auto installed = context.run(storage::outside_change_audited(
        context.pool(), context.audit_entry("gpki.crl-refresh", std::nullopt, summary),
        [&] { staged.install(); }
    ));
    if (!installed) {
        return storage_failure(installed.error(), "audit log (no CRL replaced)");
    }
    return Outcome{ExitCode::Ok, summary, rows};
}

}  // namespace

void add_gpki_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand("gpki", "GPKI trust: certificate revocation lists");
    group->require_subcommand(1);
    auto* crl = group->add_subcommand("crl", "certificate revocation lists");
    crl->require_subcommand(1);

    auto* refresh_cmd = crl->add_subcommand("refresh", "fetch CRLs from distribution points");
    auto refresh_options = std::make_shared<RefreshOptions>();
    refresh_cmd->add_option("--url", refresh_options->urls, "another distribution point");
    refresh_cmd->add_flag(
        "--watch", refresh_options->watch,
        "keep running, refreshing each point on the [gpki] crl_refresh_* schedule"
    );
    choose_on_parse(refresh_cmd, chosen, refresh_options, refresh);
    add_gpki_dev_commands(*group, chosen);
}

}  // namespace govmail::admin
