// mailadm gpki crl refresh: fetch the CRL of every distribution point (http:// or ldap://) the
// suite knows (those of the CA bundle's certificates and of every bound certificate, and any
// given with --url) into the CRL directory, keeping the last good CRL of a point that cannot
// be fetched.

#include <algorithm>

#include "admin-cli/commands.hpp"
#include "auth/gpki_certificate.hpp"
#include "auth/gpki_crl_refresh.hpp"
#include "storage/cert_store.hpp"

namespace govmail::admin {
namespace {

struct RefreshOptions {
    std::vector<std::string> urls;
};

void add_unique(std::vector<std::string>& urls, const std::vector<std::string>& more) {
    for (const auto& url : more) {
        if (std::find(urls.begin(), urls.end(), url) == urls.end()) {
            urls.push_back(url);
        }
    }
}

Outcome refresh(AdminContext& context, const RefreshOptions& options) {
    const auto& config = context.config().auth.gpki;
    if (config.ca_bundle.empty()) {
        return refused("certificate login is off: set [gpki] ca_bundle first");
    }
    std::vector<std::string> urls = options.urls;
    for (const auto& authority : auth::read_pem_certificates(config.ca_bundle)) {
        add_unique(urls, auth::crl_distribution_points(authority.get()));
    }
    const auto bound = context.run(storage::CertStore(context.pool()).crl_urls());
    if (!bound) {
        return storage_failure(bound.error(), "certificate bindings");
    }
    add_unique(urls, *bound);
    const auto results = auth::refresh_crls(config, urls, auth::distribution_point_fetch(config));
    Json rows = Json::array();
    std::size_t updated = 0;
    for (const auto& result : results) {
        updated += result.updated ? 1 : 0;
        rows.push_back(Json{
            {"url", result.url},
            {"file", result.file},
            {"updated", result.updated},
            {"detail", result.detail}});
    }
    const auto summary =
        std::to_string(updated) + " of " + std::to_string(results.size()) + " CRLs updated";
    if (auto audited = context.audit("gpki.crl-refresh", std::nullopt, summary); !audited) {
        return storage_failure(audited.error(), "audit log");
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
    choose_on_parse(refresh_cmd, chosen, refresh_options, refresh);
    add_gpki_dev_commands(*group, chosen);
}

}  // namespace govmail::admin
