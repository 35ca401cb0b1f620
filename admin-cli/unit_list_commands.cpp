// mailadm list add|policy|remove|list: the lists of organisation units. An administrator gives
// a unit of the directory an address (units are free text, often Korean, so the address is
// theirs to choose); with [directory] unit_lists on, smtpd delivers mail to it to the unit's
// active accounts at that moment, after the list's posting policy: anyone, organisation (a
// sender in a local domain; the default) or members. Changes are audited (list.add,
// list.policy, list.remove).

#include "admin-cli/address_check.hpp"
#include "admin-cli/commands.hpp"
#include "storage/address_store.hpp"

namespace govmail::admin {
namespace {

struct ListOptions {
    std::string address;
    std::string unit;
    std::string policy = "organisation";
};

struct AllOptions {};

Json list_json(const storage::UnitList& list) {
    return Json{
        {"address", list.address},
        {"unit", list.unit},
        {"policy", std::string(storage::to_string(list.policy))},
        {"members", list.members}};
}

storage::AuditOf<storage::UnitList> audit_of(AdminContext& context, std::string action) {
    return [&context, action](const storage::UnitList& list) {
        return context.audit_entry(
            action, std::nullopt,
            list.address + " (" + list.unit + ") policy " +
                std::string(storage::to_string(list.policy))
        );
    };
}

storage::ListPolicy policy_of(const ListOptions& options) {
    return storage::parse_list_policy(options.policy).value_or(storage::ListPolicy::Organisation);
}

Outcome done(const Result<storage::UnitList>& list, const std::string& what, std::string verb) {
    if (!list) {
        return storage_failure(list.error(), what);
    }
    return Outcome{ExitCode::Ok, "list " + list->address + " " + verb, list_json(*list)};
}

Outcome add(AdminContext& context, const ListOptions& options) {
    if (auto problem = address_problem(options.address, context.config())) {
        return usage_error(*problem);
    }
    if (options.unit.empty()) {
        return usage_error("UNIT is empty");
    }
    return done(
        context.run(storage::AddressStore(context.pool())
                        .add_unit_list(
                            options.address, options.unit, policy_of(options),
                            audit_of(context, "list.add")
                        )),
        options.address + " (an account, alias or list has that address, or the unit a list)",
        "added"
    );
}

Outcome policy(AdminContext& context, const ListOptions& options) {
    return done(
        context.run(storage::AddressStore(context.pool())
                        .set_unit_list_policy(
                            options.address, policy_of(options), audit_of(context, "list.policy")
                        )),
        "list " + options.address, "now takes mail from: " + options.policy
    );
}

Outcome remove(AdminContext& context, const ListOptions& options) {
    return done(
        context.run(storage::AddressStore(context.pool())
                        .remove_unit_list(options.address, audit_of(context, "list.remove"))),
        "list " + options.address, "removed"
    );
}

Outcome all(AdminContext& context, const AllOptions&) {
    const auto lists = context.run(storage::AddressStore(context.pool()).list_unit_lists());
    if (!lists) {
        return storage_failure(lists.error(), "unit lists");
    }
    Json rows = Json::array();
    for (const auto& list : *lists) {
        rows.push_back(list_json(list));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

void add_policy_option(CLI::App* sub, ListOptions& options, const std::string& name) {
    sub->add_option(
           name, options.policy,
           "who may write to it: anyone, organisation (local domains) or members"
    )
        ->check(CLI::IsMember({"anyone", "organisation", "members"}))
        ->capture_default_str();
}

}  // namespace

void add_unit_list_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand(
        "list", "organisation-unit lists: a unit's active accounts ([directory] unit_lists)"
    );
    group->require_subcommand(1);

    auto* add_cmd = group->add_subcommand("add", "give a unit of the directory a list address");
    auto add_options = std::make_shared<ListOptions>();
    add_cmd->add_option("ADDRESS", add_options->address, "the list's address")->required();
    add_cmd->add_option("UNIT", add_options->unit, "the unit, as the directory names it")
        ->required();
    add_policy_option(add_cmd, *add_options, "--policy");
    choose_on_parse(add_cmd, chosen, add_options, add);

    auto* policy_cmd = group->add_subcommand("policy", "set who may write to a list");
    auto policy_options = std::make_shared<ListOptions>();
    policy_cmd->add_option("ADDRESS", policy_options->address, "the list's address")->required();
    add_policy_option(policy_cmd, *policy_options, "POLICY");
    choose_on_parse(policy_cmd, chosen, policy_options, policy);

    auto* remove_cmd = group->add_subcommand("remove", "remove a list (the unit stays)");
    auto remove_options = std::make_shared<ListOptions>();
    remove_cmd->add_option("ADDRESS", remove_options->address, "the list's address")->required();
    choose_on_parse(remove_cmd, chosen, remove_options, remove);

    auto* list_cmd = group->add_subcommand("list", "every unit list, its policy and members");
    choose_on_parse(list_cmd, chosen, std::make_shared<AllOptions>(), all);
}

}  // namespace govmail::admin
