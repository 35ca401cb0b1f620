#include "auth/signup_checks.hpp"

namespace govmail::auth {

std::string_view certificate_check_name(CertificateCheck check) {
    switch (check) {
        case CertificateCheck::None:
            return "none";
        case CertificateCheck::Valid:
            return "valid";
        case CertificateCheck::Expired:
            return "expired";
        case CertificateCheck::NotYetValid:
            return "not yet valid";
        case CertificateCheck::Unreadable:
            return "unreadable";
    }
    return "unreadable";
}

std::vector<std::string> SignupChecks::failures() const {
    std::vector<std::string> out;
    if (!in_directory) {
        out.emplace_back("not in the directory");
    }
    if (in_directory && !mail_id_matches) {
        out.emplace_back("the directory holds another mail ID");
    }
    if (in_directory && !office_phone) {
        out.emplace_back("no office phone on file");
    }
    if (in_directory && !mobile_phone) {
        out.emplace_back("no mobile phone on file");
    }
    if (certificate != CertificateCheck::None && certificate != CertificateCheck::Valid) {
        out.push_back("certificate " + std::string(certificate_check_name(certificate)));
    }
    return out;
}

nlohmann::ordered_json SignupChecks::to_json() const {
    return nlohmann::ordered_json{
        {"in_directory", in_directory},
        {"mail_id_matches", mail_id_matches},
        {"office_phone", office_phone},
        {"mobile_phone", mobile_phone},
        {"certificate", certificate_check_name(certificate)},
    };
}

SignupChecks signup_checks(
    const std::optional<rules::DirectoryPerson>& person,
    std::string_view mail_id,
    CertificateCheck certificate
) {
    SignupChecks checks;
    checks.certificate = certificate;
    if (person && !person->retired) {
        checks.in_directory = true;
        checks.mail_id_matches = !person->mail_id.empty() && person->mail_id == mail_id;
        checks.office_phone = !person->office_phone.empty();
        checks.mobile_phone = !person->mobile_phone.empty();
    }
    return checks;
}

}  // namespace govmail::auth
