// mailadm addressbook add|import-directory|export: a user's address book
// (storage/address_book_store.hpp). The export is CSV for spreadsheet software (UTF-8 with a
// byte order mark, RFC 4180 quoting, CRLF); exports of locked or retired accounts are
// refused. Every change and export is audited.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "admin-cli/commands.hpp"
#include "common/utf8.hpp"
#include "selfservice/address_book_csv.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/address_book_store.hpp"

namespace govmail::admin {
namespace {

constexpr std::size_t kMaxFieldBytes = 256;

struct AddOptions {
    std::string address;
    std::string name;
    std::string email;
    std::string organisation;
    std::string office_phone;
    std::string mobile_phone;
};

struct AccountOptions {
    std::string address;
};

struct ExportOptions {
    std::string address;
    std::string output;
};

// One line of UTF-8 text without control characters, at most 256 bytes.
bool is_field(std::string_view text) {
    return text.size() <= kMaxFieldBytes && is_valid_utf8(text) &&
           std::none_of(text.begin(), text.end(), [](char c) {
               const auto u = static_cast<unsigned char>(c);
               return u < 0x20 || u == 0x7f;
           });
}

bool is_email(std::string_view text) {
    const auto at = text.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
           text.find('@', at + 1) == std::string_view::npos &&
           text.find_first_of(" ,;<>\"") == std::string_view::npos;
}

std::optional<std::string> optional_field(const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

Outcome add(AdminContext& context, const AddOptions& options) {
    for (const auto& field :
         {options.name, options.email, options.organisation, options.office_phone,
          options.mobile_phone}) {
        if (!is_field(field)) {
            return usage_error("every field must be one line of UTF-8 text, at most 256 bytes");
        }
    }
    if (options.name.empty()) {
        return usage_error("--name is empty");
    }
    if (!is_email(options.email)) {
        return usage_error("'" + options.email + "' is not a mail address");
    }
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    storage::AddressBookEntry entry;
    entry.name = options.name;
    entry.email = options.email;
    entry.organisation = options.organisation;
    entry.office_phone = optional_field(options.office_phone);
    entry.mobile_phone = optional_field(options.mobile_phone);
    const auto id = context.run(
        storage::AddressBookStore(context.pool())
            .add(
                details->account.id, entry,
                context.audit_entry("addressbook.add", details->account.id, options.email)
            )
    );
    if (!id) {
        return storage_failure(id.error(), "address book of " + details->account.address);
    }
    return Outcome{
        ExitCode::Ok,
        "added " + options.email + " to the address book of " + details->account.address,
        Json{{"address", details->account.address}, {"entry", *id}, {"email", options.email}}};
}

Outcome import_directory(AdminContext& context, const AccountOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    const auto count =
        context.run(storage::AddressBookStore(context.pool())
                        .import_directory(details->account.id, [&](const std::int64_t& people) {
                            return context.audit_entry(
                                "addressbook.import", details->account.id,
                                std::to_string(people) + " people"
                            );
                        }));
    if (!count) {
        return storage_failure(count.error(), "address book of " + details->account.address);
    }
    return Outcome{
        ExitCode::Ok,
        std::to_string(*count) + " people of the directory in the address book of " +
            details->account.address,
        Json{{"address", details->account.address}, {"imported", *count}}};
}

Outcome export_csv(AdminContext& context, const ExportOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    if (details->account.state == storage::AccountState::Locked ||
        details->account.state == storage::AccountState::Retired) {
        return refused("account " + details->account.address + " is locked or retired; no exports");
    }
    const auto entries =
        context.run(storage::AddressBookStore(context.pool()).list(details->account.id));
    if (!entries) {
        return storage_failure(entries.error(), "address book of " + details->account.address);
    }
    // Written beside the target and renamed, so a failure never leaves half a file.
    const std::filesystem::path target(options.output);
    auto partial = target;
    partial += ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        const auto text = selfservice::address_book_csv(*entries, selfservice::CsvHeader::English);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            return usage_error("cannot write " + options.output);
        }
    }
    std::error_code renamed;
    std::filesystem::rename(partial, target, renamed);
    if (renamed) {
        std::filesystem::remove(partial, renamed);
        return usage_error("cannot write " + options.output);
    }
    if (auto audited = context.audit(
            "addressbook.export", details->account.id, std::to_string(entries->size()) + " entries"
        );
        !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    return Outcome{
        ExitCode::Ok,
        std::to_string(entries->size()) + " entries of " + details->account.address +
            " written to " + options.output,
        Json{
            {"address", details->account.address},
            {"entries", entries->size()},
            {"output", options.output}}};
}

}  // namespace

void add_addressbook_commands(CLI::App& app, Action& chosen) {
    auto* book = app.add_subcommand("addressbook", "users' address books and their CSV export");
    book->require_subcommand(1);

    auto* add_cmd = book->add_subcommand("add", "add an entry to an account's address book");
    auto add_options = std::make_shared<AddOptions>();
    add_cmd->add_option("ACCOUNT", add_options->address, "the account's mail address")->required();
    add_cmd->add_option("--name", add_options->name, "the person's name")->required();
    add_cmd->add_option("--email", add_options->email, "the person's mail address")->required();
    add_cmd->add_option("--organisation", add_options->organisation, "organisation or unit");
    add_cmd->add_option("--office-phone", add_options->office_phone, "office phone number");
    add_cmd->add_option("--mobile-phone", add_options->mobile_phone, "mobile phone number");
    choose_on_parse(add_cmd, chosen, add_options, add);

    auto* import_cmd = book->add_subcommand(
        "import-directory",
        "replace the account's directory entries with the organisation's people who have an "
        "active account"
    );
    auto import_options = std::make_shared<AccountOptions>();
    import_cmd->add_option("ACCOUNT", import_options->address, "the account's mail address")
        ->required();
    choose_on_parse(import_cmd, chosen, import_options, import_directory);

    auto* export_cmd = book->add_subcommand(
        "export", "write the address book as CSV (UTF-8 with BOM, RFC 4180, CRLF)"
    );
    auto export_options = std::make_shared<ExportOptions>();
    export_cmd->add_option("ACCOUNT", export_options->address, "the account's mail address")
        ->required();
    export_cmd->add_option("--output", export_options->output, "the CSV file to write")->required();
    choose_on_parse(export_cmd, chosen, export_options, export_csv);
}

}  // namespace govmail::admin
