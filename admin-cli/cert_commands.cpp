// mailadm cert bind|list|approve|revoke: which GPKI certificate logs in (SASL EXTERNAL) as
// which account. A certificate is bound only when it passes the same checks as a login (chain
// to the [gpki] CA bundle, validity, CRL, key usage, policy), so a binding that cannot work is
// refused at once with the reason. `approve` activates a renewed certificate's binding held
// under `[gpki] renewal = approve`.

#include <ctime>

#include "admin-cli/commands.hpp"
#include "auth/gpki_verifier.hpp"
#include "storage/cert_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct BindOptions {
    std::string address;
    std::string certificate;
};

struct ListOptions {
    std::string address;
};

struct ApproveOptions {
    std::int64_t id = 0;
};

struct RevokeOptions {
    std::string address;
    std::optional<std::int64_t> id;
};

Json binding_json(const storage::CertBinding& binding) {
    return Json{
        {"id", binding.id},
        {"issuer", binding.issuer},
        {"serial", binding.serial},
        {"sha256", binding.sha256_hex},
        {"created", iso_time(binding.created_at)},
        {"revoked", binding.revoked_at ? Json(iso_time(*binding.revoked_at)) : Json()},
        {"subject", binding.subject ? Json(*binding.subject) : Json()},
        {"expires", binding.not_after ? Json(iso_time(*binding.not_after)) : Json()},
        {"renews", binding.renews ? Json(*binding.renews) : Json()},
        {"pending", binding.pending},
    };
}

// The verified identity of the first certificate in FILE, or why it cannot be bound.
std::variant<auth::CertificateIdentity, Outcome> checked_identity(
    const GpkiConfig& config, const std::string& file
) {
    if (config.ca_bundle.empty()) {
        return refused("certificate login is off: set [gpki] ca_bundle first");
    }
    const auto certificates = auth::read_pem_certificates(file);
    auth::GpkiVerifier verifier(config);
    auto verdict = verifier.verify(certificates.front().get(), nullptr, std::time(nullptr));
    if (!verdict.identity) {
        return refused(file + ": " + verdict.refusal);
    }
    return std::move(*verdict.identity);
}

Outcome bind(AdminContext& context, const BindOptions& options) {
    const auto account =
        context.run(storage::Mailstore(context.pool()).find_account(options.address));
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    auto checked = checked_identity(context.config().auth.gpki, options.certificate);
    if (auto* outcome = std::get_if<Outcome>(&checked)) {
        return *outcome;
    }
    const auto& id = std::get<auth::CertificateIdentity>(checked);
    const storage::NewCertBinding binding{account->id,   {id.issuer, id.serial, id.sha256},
                                          id.crl_urls,   id.subject,
                                          id.not_before, id.not_after};
    const auto bound =
        context.run(storage::CertStore(context.pool())
                        .bind(binding, [&](const storage::CertBinding& made) {
                            return context.audit_entry(
                                "cert.bind", account->id,
                                "binding " + std::to_string(made.id) + ": " + id.subject +
                                    " (issuer " + id.issuer + ", serial " + id.serial + ")"
                            );
                        }));
    if (!bound) {
        return storage_failure(bound.error(), "binding of certificate serial " + id.serial);
    }
    return Outcome{ExitCode::Ok, "bound to " + account->address, binding_json(*bound)};
}

Outcome list(AdminContext& context, const ListOptions& options) {
    const auto account =
        context.run(storage::Mailstore(context.pool()).find_account(options.address));
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    const auto bindings = context.run(storage::CertStore(context.pool()).list(account->id));
    if (!bindings) {
        return storage_failure(bindings.error(), "certificate bindings");
    }
    Json rows = Json::array();
    for (const auto& binding : *bindings) {
        rows.push_back(binding_json(binding));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

Outcome approve(AdminContext& context, const ApproveOptions& options) {
    const auto approved =
        context.run(storage::CertStore(context.pool())
                        .approve(options.id, [&](const storage::CertBinding& b) {
                            return context.audit_entry(
                                "cert.approve", b.account,
                                "binding " + std::to_string(b.id) +
                                    " approved: " + b.subject.value_or("") + " (issuer " +
                                    b.issuer + ", serial " + b.serial + ")"
                            );
                        }));
    if (!approved) {
        if (approved.error() == make_error_code(storage::Errc::NotFound)) {
            return refused(
                "no pending certificate binding " + std::to_string(options.id) +
                " (`mailadm cert list --account ADDRESS` shows the pending ones)"
            );
        }
        return storage_failure(approved.error(), "certificate binding");
    }
    return Outcome{
        ExitCode::Ok, "approved certificate binding " + std::to_string(approved->id),
        binding_json(*approved)};
}

Outcome revoke(AdminContext& context, const RevokeOptions& options) {
    const auto account =
        context.run(storage::Mailstore(context.pool()).find_account(options.address));
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    const auto revoked =
        context.run(storage::CertStore(context.pool())
                        .revoke(account->id, options.id, [&](const storage::CertBinding& b) {
                            return context.audit_entry(
                                "cert.revoke", account->id,
                                "binding " + std::to_string(b.id) + " (issuer " + b.issuer +
                                    ", serial " + b.serial + ")"
                            );
                        }));
    if (!revoked) {
        return storage_failure(revoked.error(), "certificate bindings");
    }
    if (revoked->empty()) {
        return refused("no active certificate binding to revoke");
    }
    Json rows = Json::array();
    for (const auto& binding : *revoked) {
        rows.push_back(binding_json(binding));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

}  // namespace

void add_cert_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand("cert", "GPKI certificates bound to accounts");
    group->require_subcommand(1);

    auto* bind_cmd = group->add_subcommand("bind", "let a GPKI certificate log in as an account");
    auto bind_options = std::make_shared<BindOptions>();
    bind_cmd->add_option("ADDRESS", bind_options->address, "mail address")->required();
    bind_cmd->add_option("CERTIFICATE", bind_options->certificate, "the certificate, PEM")
        ->required()
        ->check(CLI::ExistingFile);
    choose_on_parse(bind_cmd, chosen, bind_options, bind);

    auto* list_cmd = group->add_subcommand("list", "list an account's certificate bindings");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("--account,ADDRESS", list_options->address, "mail address")->required();
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* approve_cmd =
        group->add_subcommand("approve", "let a renewed certificate held for approval log in");
    auto approve_options = std::make_shared<ApproveOptions>();
    approve_cmd->add_option("ID", approve_options->id, "the id `cert list` shows")->required();
    choose_on_parse(approve_cmd, chosen, approve_options, approve);

    auto* revoke_cmd = group->add_subcommand("revoke", "end certificate bindings (final)");
    auto revoke_options = std::make_shared<RevokeOptions>();
    revoke_cmd->add_option("ADDRESS", revoke_options->address, "mail address")->required();
    revoke_cmd->add_option("ID", revoke_options->id, "the id `cert list` shows; none: all");
    choose_on_parse(revoke_cmd, chosen, revoke_options, revoke);
}

}  // namespace govmail::admin
