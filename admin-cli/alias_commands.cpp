// mailadm alias add|remove|list: addresses in a local domain that lead to accounts, other
// aliases or addresses elsewhere (storage/address_store.hpp). smtpd expands them at RCPT time,
// refusing a loop with 550 5.4.6, stores the body once for all their accounts and forwards to
// addresses elsewhere through the queue with an SRS sender (smtpd/lib/srs.hpp), which needs
// [smtp] srs_secret and [server] postmaster. Changes are audited (alias.add, alias.remove).

#include "admin-cli/address_check.hpp"
#include "admin-cli/commands.hpp"
#include "storage/address_store.hpp"

namespace govmail::admin {
namespace {

struct ChangeOptions {
    std::string address;
    std::vector<std::string> targets;
};

struct ListOptions {};

Json pairs_json(const std::vector<storage::AliasPair>& pairs) {
    Json rows = Json::array();
    for (const auto& pair : pairs) {
        rows.push_back(Json{{"address", pair.address}, {"target", pair.target}});
    }
    return rows;
}

std::optional<Outcome> addresses_problem(AdminContext& context, const ChangeOptions& options) {
    if (auto problem = address_problem(options.address, context.config())) {
        return usage_error(*problem);
    }
    const auto& config = context.config();
    const bool forwarding = !config.smtp.srs_secret.empty() && !config.postmaster.empty();
    for (const auto& target : options.targets) {
        if (auto problem = mail_address_problem(target)) {
            return usage_error("target " + *problem);
        }
        if (!forwarding && address_problem(target, config)) {
            return usage_error(
                "target " + target +
                " is in no local domain: forwarding elsewhere needs [smtp] srs_secret and "
                "[server] postmaster"
            );
        }
    }
    return std::nullopt;
}

storage::AuditOf<storage::AliasPair> audit_of(AdminContext& context, std::string action) {
    return [&context, action](const storage::AliasPair& pair) {
        return context.audit_entry(action, std::nullopt, pair.address + " -> " + pair.target);
    };
}

Outcome add(AdminContext& context, const ChangeOptions& options) {
    if (auto problem = addresses_problem(context, options)) {
        return *problem;
    }
    const auto added =
        context.run(storage::AddressStore(context.pool())
                        .add_alias(options.address, options.targets, audit_of(context, "alias.add"))
        );
    if (!added) {
        return storage_failure(
            added.error(), options.address + " (an account or unit list has that address)"
        );
    }
    return Outcome{
        ExitCode::Ok,
        "alias " + options.address + ": " + std::to_string(added->size()) + " target(s) added",
        pairs_json(*added)};
}

Outcome remove(AdminContext& context, const ChangeOptions& options) {
    const auto removed = context.run(
        storage::AddressStore(context.pool())
            .remove_alias(options.address, options.targets, audit_of(context, "alias.remove"))
    );
    if (!removed) {
        return storage_failure(removed.error(), "alias " + options.address);
    }
    return Outcome{
        ExitCode::Ok,
        "alias " + options.address + ": " + std::to_string(removed->size()) + " target(s) removed",
        pairs_json(*removed)};
}

Outcome list(AdminContext& context, const ListOptions&) {
    const auto pairs = context.run(storage::AddressStore(context.pool()).list_aliases());
    if (!pairs) {
        return storage_failure(pairs.error(), "aliases");
    }
    return Outcome{ExitCode::Ok, {}, pairs_json(*pairs)};
}

}  // namespace

void add_alias_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand(
        "alias", "aliases: local addresses delivered to accounts or other aliases"
    );
    group->require_subcommand(1);

    auto* add_cmd = group->add_subcommand("add", "add targets to an alias (made if new)");
    auto add_options = std::make_shared<ChangeOptions>();
    add_cmd->add_option("ADDRESS", add_options->address, "the alias")->required();
    add_cmd->add_option("TARGET", add_options->targets, "accounts or aliases it leads to")
        ->required();
    choose_on_parse(add_cmd, chosen, add_options, add);

    auto* remove_cmd =
        group->add_subcommand("remove", "remove targets from an alias (all when none named)");
    auto remove_options = std::make_shared<ChangeOptions>();
    remove_cmd->add_option("ADDRESS", remove_options->address, "the alias")->required();
    remove_cmd->add_option("TARGET", remove_options->targets, "the targets to remove");
    choose_on_parse(remove_cmd, chosen, remove_options, remove);

    auto* list_cmd = group->add_subcommand("list", "list every alias and its targets");
    choose_on_parse(list_cmd, chosen, std::make_shared<ListOptions>(), list);
}

}  // namespace govmail::admin
