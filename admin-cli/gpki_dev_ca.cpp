#include "admin-cli/gpki_dev_ca.hpp"

#include "common/dev_certificates.hpp"

namespace govmail::admin {

std::filesystem::path dev_ca_certificate(const Config& config) {
    return dev_certificate_paths(config.var_dir).gpki_ca_certificate;
}

bool uses_dev_ca(const Config& config) {
    const auto& bundle = config.auth.gpki.ca_bundle;
    if (bundle.empty() || std::filesystem::weakly_canonical(bundle) !=
                              std::filesystem::weakly_canonical(dev_ca_certificate(config))) {
        return false;
    }
    ensure_dev_certificates(config.var_dir, config.hostname);
    return true;
}

std::filesystem::path dev_crl_file(const Config& config) {
    return config.auth.gpki.crl_dir / "dev-ca.crl";
}

void issue_dev_crl(const Config& config) {
    write_dev_crl(config.var_dir, dev_crl_file(config), kDevCrlDays);
}

}  // namespace govmail::admin
