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

std::string to_pem(X509* certificate) {
    const auth::BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509(out.get(), certificate) != 1) {
        throw std::runtime_error("cannot encode certificate: " + auth::openssl_error());
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string common_name(X509* certificate) {
    const X509_NAME* subject = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index < 0) {
        return {};
    }
    unsigned char* text = nullptr;
    const int length =
        ASN1_STRING_to_UTF8(&text, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
    if (length < 0) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length));
    OPENSSL_free(text);
    return out;
}

}  // namespace

RequestCertificate read_request_certificate(const std::filesystem::path& file) {
    const auto certificates = auth::read_pem_certificates(file);
    X509* certificate = certificates.front().get();
    const auto id = auth::certificate_identity(certificate);
    return RequestCertificate{
        storage::SignupCertificate{id.issuer, id.serial, id.sha256, to_pem(certificate)},
        id.subject, common_name(certificate)};
}

CertificateCheck check_certificate(const std::optional<std::string>& pem, std::time_t now) {
    if (!pem) {
        return CertificateCheck::None;
    }
    const auto certificate = from_pem(*pem);
    if (!certificate) {
        ERR_clear_error();
        return CertificateCheck::Unreadable;
    }
    if (X509_cmp_time(X509_get0_notBefore(certificate.get()), &now) > 0) {
        return CertificateCheck::NotYetValid;
    }
    if (X509_cmp_time(X509_get0_notAfter(certificate.get()), &now) < 0) {
        return CertificateCheck::Expired;
    }
    return CertificateCheck::Valid;
}

std::vector<std::string> certificate_crl_urls(const std::optional<std::string>& pem) {
    const auto certificate = pem ? from_pem(*pem) : auth::X509Ptr();
    return certificate ? auth::crl_distribution_points(certificate.get())
                       : std::vector<std::string>{};
}

}  // namespace govmail::admin
