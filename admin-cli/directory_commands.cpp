// mailadm directory sync|show: apply a day's directory export (listing everyone it adds,
// changes, reinstates and retires; refused beyond the retire limits), look a person up.

#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "admin-cli/commands.hpp"
#include "admin-cli/directory_file.hpp"
#include "storage/directory_store.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct SyncOptions {
    std::string file;
    bool dry_run = false;
    bool force = false;  // beyond the retire limits
};

struct ShowOptions {
    std::string id;
};

Json person_json(const storage::DirectoryPerson& p) {
    auto optional = [](const std::string& v) { return v.empty() ? Json() : Json(v); };
    return Json{
        {"employee_no", p.employee_no},
        {"name", p.name},
        {"unit", p.org_unit},
        {"position", optional(p.position)},
        {"mail_id", optional(p.mail_id)},
        {"office_phone", optional(p.office_phone)},
        {"mobile_phone", optional(p.mobile_phone)},
        {"user_mobile_phone", optional(p.user_mobile_phone)},
        {"mobile_phone_in_use", optional(p.mobile_phone_in_use())},
        {"cert_identity", optional(p.cert_identity)},
        {"status", p.retired ? "retired" : "active"},
        {"account", p.account ? Json(*p.account) : Json()},
        {"synced", iso_time(p.synced_at)},
    };
}

Json errors_json(const std::vector<LineError>& errors) {
    Json rows = Json::array();
    for (const auto& e : errors) {
        rows.push_back(Json{{"line", e.line}, {"problem", e.message}});
    }
    return rows;
}

// Mail ID conflicts found against the directory on file, as errors on the rows asking.
std::vector<LineError> conflict_errors(
    const std::vector<storage::MailIdConflict>& conflicts, const DirectoryFile& file
) {
    std::map<std::string, std::size_t> lines;
    for (const auto& row : file.rows) {
        lines.emplace(row.person.employee_no, row.line);
    }
    std::vector<LineError> errors;
    for (const auto& c : conflicts) {
        errors.push_back(LineError{
            lines[c.employee_no],
            "mail ID " + c.mail_id + " belongs to employee " + c.holder + " (left or not listed)"});
    }
    return errors;
}

Json addresses_json(const std::vector<storage::Account>& accounts) {
    Json addresses = Json::array();
    for (const auto& account : accounts) {
        addresses.push_back(account.address);
    }
    return addresses;
}

Json changes_json(const std::vector<storage::DirectoryChange>& changes) {
    auto optional = [](const std::string& v) { return v.empty() ? Json() : Json(v); };
    Json rows = Json::array();
    for (const auto& c : changes) {
        rows.push_back(Json{
            {"change", rules::directory_change_name(c.kind)},
            {"employee_no", c.employee_no},
            {"name", c.name},
            {"unit", c.org_unit},
            {"previous_unit", optional(c.previous_org_unit)},
            {"mail_id", optional(c.mail_id)},
            {"account", c.account ? Json(*c.account) : Json()},
        });
    }
    return rows;
}

// The accounts a sync retires: those it retired, or for a sync not applied, those of the
// people it would retire.
Json retired_json(const storage::SyncReport& report) {
    if (report.applied) {
        return addresses_json(report.retired_accounts);
    }
    Json addresses = Json::array();
    for (const auto& c : report.changes) {
        if (c.kind == rules::DirectoryChangeKind::Retired && c.account) {
            addresses.push_back(*c.account);
        }
    }
    return addresses;
}

Json summary_json(
    const SyncOptions& options, const DirectoryFile& file, const storage::SyncReport& report
) {
    const auto& d = report.diff;
    Json data{
        {"file", options.file},
        {"format", file.format},
        {"encoding", file.encoding},
        {"rows", file.rows.size()},
        {"added", d.added.size()},
        {"changed", d.changed.size()},
        {"transferred", d.transferred.size()},
        {"retired", d.left.size()},
        {"unchanged", d.unchanged},
        {"rejected", 0},
        {"applied", report.applied},
        {"retired_accounts", retired_json(report)},
        {"reinstated_accounts", addresses_json(report.reinstated_accounts)},
        {"returning_retired_accounts", addresses_json(report.returning_retired_accounts)},
        {"user_mobiles_ended", d.user_mobiles_ended.size()},
        {"user_mobile_ended_accounts", addresses_json(report.user_mobile_ended_accounts)},
        {"renamed_accounts", addresses_json(report.renamed_accounts)},
    };
    if (!file.ignored_columns.empty()) {
        data["ignored_columns"] = file.ignored_columns;
    }
    data["changes"] = changes_json(report.changes);
    return data;
}

std::string summary_text(const Json& s) {
    std::ostringstream text;
    text << "added " << s["added"] << ", changed " << s["changed"] << ", transferred "
         << s["transferred"] << ", retired " << s["retired"] << ", unchanged " << s["unchanged"]
         << ", rejected 0";
    if (s["user_mobiles_ended"] != 0) {
        text << "; mobile numbers set in the portal replaced by the directory's: "
             << s["user_mobiles_ended"];
    }
    if (!s["reinstated_accounts"].empty()) {
        text << "; reinstated: " << s["reinstated_accounts"].size();
    }
    if (!s["returning_retired_accounts"].empty()) {
        text << "; back in the directory with a retired account (`mailadm account reinstate`): "
             << s["returning_retired_accounts"].size();
    }
    return text.str();
}

// Why a sync retiring as many as BREACH says is refused, with the figures and the limits.
std::string over_limit_text(const rules::RetireGuardBreach& breach, const Config& config) {
    std::ostringstream text;
    text << "it would retire " << breach.retiring << " of the " << breach.in_directory
         << " people in the directory (" << std::fixed << std::setprecision(1) << breach.percent
         << "%), more than the " << breach.allowed << " one sync may retire ([directory] "
         << "max_retire_percent = " << config.directory.max_retire_percent
         << ", max_retire_count = " << config.directory.max_retire_count << ")";
    return text.str();
}

// The entries of an applied sync: the sync, and each retirement, reinstatement, renaming and
// ended own mobile number it caused.
std::vector<storage::AuditEntry> sync_entries(
    const AdminContext& context, const storage::SyncReport& report, const Json& summary
) {
    auto detail = summary["file"].get<std::string>() + ": " + summary_text(summary);
    if (report.over_limit) {
        detail += "; forced: " + over_limit_text(*report.over_limit, context.config());
    }
    std::vector<storage::AuditEntry> entries{
        context.audit_entry("directory.sync", std::nullopt, detail)};
    for (const auto& account : report.retired_accounts) {
        entries.push_back(context.audit_entry("account.retire", account.id, "left the directory"));
    }
    for (const auto& account : report.reinstated_accounts) {
        entries.push_back(
            context.audit_entry("account.reinstate", account.id, "back in the directory")
        );
    }
    for (const auto& account : report.renamed_accounts) {
        entries.push_back(context.audit_entry(
            "account.rename", account.id,
            "the mail ID changed in the directory: now " + account.address +
                ", the old address an alias"
        ));
    }
    for (const auto& account : report.user_mobile_ended_accounts) {
        entries.push_back(context.audit_entry(
            "mobile.reset", account.id,
            "the directory's mobile number changed: the one set in the portal is no longer used"
        ));
    }
    return entries;
}

storage::SyncOptions store_options(const AdminContext& context, const SyncOptions& options) {
    const auto& directory = context.config().directory;
    return storage::SyncOptions{
        context.retiree_reply(),
        rules::RetireLimits{directory.max_retire_percent, directory.max_retire_count},
        options.force, directory.reinstate_returning, options.dry_run};
}

Outcome sync(AdminContext& context, const SyncOptions& options) {
    std::ifstream in(options.file, std::ios::binary);
    if (!in) {
        return usage_error("cannot read " + options.file);
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    const auto file = read_directory(bytes.str());
    if (file.errors.empty() && file.rows.empty()) {
        return refused(options.file + ": no people in it; refusing to retire everyone");
    }
    if (!file.errors.empty()) {
        return Outcome{
            ExitCode::Refused,
            std::to_string(file.errors.size()) + " bad row(s) in " + options.file +
                ", nothing applied",
            errors_json(file.errors)};
    }
    std::vector<storage::DirectoryPerson> people;
    for (const auto& row : file.rows) {
        people.push_back(row.person);
    }
    const auto report = context.run(
        storage::DirectoryStore(context.pool())
            .sync(
                std::move(people), store_options(context, options),
                [&](const storage::SyncReport& applied) {
                    return sync_entries(context, applied, summary_json(options, file, applied));
                }
            )
    );
    if (!report) {
        return storage_failure(report.error(), "directory sync");
    }
    if (!report->diff.conflicts.empty()) {
        const auto errors = conflict_errors(report->diff.conflicts, file);
        return Outcome{
            ExitCode::Refused,
            std::to_string(errors.size()) + " bad row(s) in " + options.file + ", nothing applied",
            errors_json(errors)};
    }
    auto summary = summary_json(options, file, *report);
    if (report->over_limit && !options.force) {
        const auto why = over_limit_text(*report->over_limit, context.config());
        summary["refused"] = why;
        if (!options.dry_run) {
            return Outcome{
                ExitCode::Refused,
                "directory sync refused, nothing applied: " + why +
                    "; check the export, or run again with --force",
                summary};
        }
        return Outcome{
            ExitCode::Ok,
            "dry run, nothing applied: " + summary_text(summary) +
                "; a real run would be refused: " + why,
            summary};
    }
    const auto prefix = options.dry_run ? "dry run, nothing applied: " : "directory synced: ";
    return Outcome{ExitCode::Ok, prefix + summary_text(summary), summary};
}

Outcome show(AdminContext& context, const ShowOptions& options) {
    storage::DirectoryStore store(context.pool());
    auto person = context.run(store.find(options.id));
    if (!person && person.error() == make_error_code(storage::Errc::NotFound)) {
        person = context.run(store.find_by_mail_id(options.id));
    }
    if (!person) {
        return storage_failure(person.error(), "person " + options.id);
    }
    return Outcome{ExitCode::Ok, {}, person_json(*person)};
}

}  // namespace

void add_directory_commands(CLI::App& app, Action& chosen) {
    auto* directory = app.add_subcommand("directory", "the organisation directory");
    directory->require_subcommand(1);

    auto* sync_cmd = directory->add_subcommand(
        "sync",
        "apply a day's directory export (CSV with a header row or LDIF; UTF-8 or CP949): "
        "add, change, transfer and retire people in one transaction; a file with a bad row "
        "is not applied at all"
    );
    sync_cmd->footer(
        "Columns (CSV header or LDIF attribute; case, spaces, '_' and '-' ignored):\n"
        "  employee_no    employee_no, employeeNumber, 사번, 직원번호  (required)\n"
        "  name           name, cn, displayName, 성명, 이름  (required)\n"
        "  org_unit       org_unit, ou, department, unit, 부서, 부서명, 소속  (required)\n"
        "  position       position, title, 직위, 직급\n"
        "  mail_id        mail_id, uid, 메일ID, 메일아이디  (the part before @)\n"
        "  office_phone   office_phone, telephoneNumber, 사무실전화, 전화번호\n"
        "  mobile_phone   mobile_phone, mobile, 휴대전화, 휴대폰\n"
        "  cert_identity  cert_identity, certificate, 인증서, 인증서식별자, 인증서DN\n"
        "  status         status, 재직상태, 상태: active/재직 or retired/left/퇴직\n"
        "Other columns are ignored. People missing from the file, or marked retired, are\n"
        "retired with their accounts. Exit 1 lists the bad rows by line; nothing is applied.\n"
        "Every person added, back, transferred, changed or retired is listed (changes).\n"
        "A sync retiring more than [directory] max_retire_percent of the directory (one\n"
        "person may always leave) or more than max_retire_count is refused (exit 1) unless\n"
        "--force. A person back in the directory keeps a retired account until `mailadm\n"
        "account reinstate`, or gets it back at once with [directory] reinstate_returning.\n"
        "A mobile number a person set in the portal stays in use for SMS codes until the\n"
        "export brings a new directory number for them."
    );
    auto sync_options = std::make_shared<SyncOptions>();
    sync_cmd->add_option("FILE", sync_options->file, "the export")->required();
    sync_cmd->add_flag(
        "--dry-run", sync_options->dry_run, "report what would change, change nothing"
    );
    sync_cmd->add_flag(
        "--force", sync_options->force,
        "apply even beyond [directory] max_retire_percent / max_retire_count"
    );
    choose_on_parse(sync_cmd, chosen, sync_options, sync);

    auto* show_cmd = directory->add_subcommand("show", "show one person of the directory");
    auto show_options = std::make_shared<ShowOptions>();
    show_cmd->add_option("ID", show_options->id, "employee number (or mail ID)")->required();
    choose_on_parse(show_cmd, chosen, show_options, show);
}

}  // namespace govmail::admin
