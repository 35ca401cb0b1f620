#include "admin-cli/signup_certificate.hpp"

#include <openssl/pem.h>

#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "auth/openssl_ptr.hpp"

namespace govmail::admin {
namespace {

auth::X509Ptr from_pem(std::string_view pem) {
    const auth::BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return auth::X509Ptr(in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr);
}

}  // namespace

RequestCertificate read_request_certificate(const std::filesystem::path& file) {
    const auto certificates = auth::read_pem_certificates(file);
    X509* certificate = certificates.front().get();
    const auto id = auth::certificate_identity(certificate);
    return RequestCertificate{
        storage::SignupCertificate{
            id.issuer, id.serial, id.sha256, auth::certificate_pem(certificate)},
        id.subject, id.common_name};
}

auth::CertificateCheck check_certificate(const std::optional<std::string>& pem, std::time_t now) {
    if (!pem) {
        return auth::CertificateCheck::None;
    }
    const auto certificate = from_pem(*pem);
    if (!certificate) {
        ERR_clear_error();
        return auth::CertificateCheck::Unreadable;
    }
    if (X509_cmp_time(X509_get0_notBefore(certificate.get()), &now) > 0) {
        return auth::CertificateCheck::NotYetValid;
    }
    if (X509_cmp_time(X509_get0_notAfter(certificate.get()), &now) < 0) {
        return auth::CertificateCheck::Expired;
    }
    return auth::CertificateCheck::Valid;
}

std::optional<auth::CertificateIdentity> request_identity(const std::optional<std::string>& pem) {
    const auto certificate = pem ? from_pem(*pem) : auth::X509Ptr();
    if (!certificate) {
        ERR_clear_error();
        return std::nullopt;
    }
    return auth::certificate_identity(certificate.get());
}

storage::BindingFacts binding_facts(const std::optional<std::string>& pem) {
    auto id = request_identity(pem);
    if (!id) {
        return {};
    }
    return storage::BindingFacts{
        std::move(id->crl_urls), std::move(id->subject), id->not_before, id->not_after};
}

}  // namespace govmail::admin
