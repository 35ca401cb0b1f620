// mailadm gpki dev-issue|dev-crl: an official's certificate and a fresh CRL from the
// development GPKI CA (var_dir/gpki, made by `govmail start` or here), so certificate login
// can be tried on a development run. Both are refused unless [gpki] ca_bundle is that CA:
// they can never add a certificate or a CRL to a deployment that trusts a real CA.

#include "admin-cli/commands.hpp"
#include "admin-cli/gpki_dev_ca.hpp"
#include "common/dev_certificates.hpp"

namespace govmail::admin {
namespace {

constexpr std::string_view kGpkiPersonPolicy = "1.2.410.100001.2.2.1";

struct DevIssueOptions {
    std::string name;
    std::string agency;
    std::string common_name;
    std::string out;
    std::string p12_password = "govmail";
};

struct DevCrlOptions {};

Outcome not_dev(const Config& config) {
    return refused(
        "only for the development CA: [gpki] ca_bundle must be " +
        dev_ca_certificate(config).string() + " (scripts/run.sh sets it)"
    );
}

Outcome dev_crl(AdminContext& context, const DevCrlOptions& /*options*/) {
    const auto& config = context.config();
    if (!uses_dev_ca(config)) {
        return not_dev(config);
    }
    issue_dev_crl(config);
    return Outcome{
        ExitCode::Ok, "wrote " + dev_crl_file(config).string(),
        Json{{"crl", dev_crl_file(config).string()}, {"days", kDevCrlDays}}};
}

Outcome dev_issue(AdminContext& context, const DevIssueOptions& options) {
    const auto& config = context.config();
    if (!uses_dev_ca(config)) {
        return not_dev(config);
    }
    const DevPerson person{
        options.agency,
        options.common_name.empty() ? "089" + options.name + "001" : options.common_name,
        config.auth.gpki.policy_oids.empty() ? std::string(kGpkiPersonPolicy)
                                             : config.auth.gpki.policy_oids.front()};
    const auto files = issue_dev_person(config.var_dir, person, options.out, options.p12_password);
    issue_dev_crl(config);
    return Outcome{
        ExitCode::Ok,
        "issued CN=" + person.common_name + ": " + files.certificate.string() + ", " +
            files.key.string() + ", " + files.pkcs12.string() + " (PKCS#12 password " +
            options.p12_password + ")",
        Json{
            {"common_name", person.common_name},
            {"certificate", files.certificate.string()},
            {"key", files.key.string()},
            {"pkcs12", files.pkcs12.string()},
        }};
}

}  // namespace

void add_gpki_dev_commands(CLI::App& gpki, Action& chosen) {
    auto* issue_cmd = gpki.add_subcommand(
        "dev-issue", "issue an official's certificate from the development CA (development only)"
    );
    auto issue_options = std::make_shared<DevIssueOptions>();
    issue_cmd->add_option("--name", issue_options->name, "the official's name, e.g. 홍길동")
        ->required();
    issue_cmd->add_option("--agency", issue_options->agency, "the agency (the subject's OU)")
        ->required();
    issue_cmd->add_option("--cn", issue_options->common_name, "the CN; default 089<name>001");
    issue_cmd->add_option("--out", issue_options->out, "directory for person.pem/.key/.p12")
        ->required();
    issue_cmd->add_option(
        "--p12-password", issue_options->p12_password, "password of person.p12 (default govmail)"
    );
    choose_on_parse(issue_cmd, chosen, issue_options, dev_issue);

    auto* crl_cmd = gpki.add_subcommand(
        "dev-crl", "write a fresh CRL of the development CA (development only)"
    );
    choose_on_parse(crl_cmd, chosen, std::make_shared<DevCrlOptions>(), dev_crl);
}

}  // namespace govmail::admin
