#include "auth/gpki_certificate.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>
#include <ctime>
#include <limits>
#include <stdexcept>

namespace govmail::auth {

std::string name_text(const X509_NAME* name) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (!out || X509_NAME_print_ex(out.get(), name, 0, kFlags) < 0) {
        return {};
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

std::string certificate_pem(X509* certificate) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509(out.get(), certificate) != 1) {
        throw std::runtime_error("cannot encode certificate: " + openssl_error());
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::vector<std::string> distribution_point_uris(const CRL_DIST_POINTS* points) {
    std::vector<std::string> urls;
    for (int i = 0; points != nullptr && i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (point->distpoint == nullptr || point->distpoint->type != 0) {
            continue;  // type 0: fullname (GeneralNames); 1 is a name relative to the issuer
        }
        const GENERAL_NAMES* names = point->distpoint->name.fullname;
        for (int k = 0; k < sk_GENERAL_NAME_num(names); ++k) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, k);
            if (name->type == GEN_URI) {
                const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
                urls.emplace_back(
                    reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                    static_cast<std::size_t>(ASN1_STRING_length(uri))
                );
            }
        }
    }
    return urls;
}

std::vector<std::string> crl_distribution_points(X509* certificate) {
    auto* points = static_cast<CRL_DIST_POINTS*>(
        X509_get_ext_d2i(certificate, NID_crl_distribution_points, nullptr, nullptr)
    );
    auto urls = distribution_point_uris(points);
    CRL_DIST_POINTS_free(points);
    return urls;
}

namespace {

std::string common_name(const X509_NAME* subject) {
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

std::int64_t unix_time(const ASN1_TIME* time) {
    std::tm utc{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &utc) != 1) {
        return 0;
    }
    return static_cast<std::int64_t>(timegm(&utc));
}

CertificateIdentity certificate_identity(X509* certificate) {
    CertificateIdentity id;
    id.issuer = name_text(X509_get_issuer_name(certificate));
    id.subject = name_text(X509_get_subject_name(certificate));
    id.common_name = common_name(X509_get_subject_name(certificate));
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
    if (serial != nullptr) {
        char* text = BN_bn2hex(serial);
        id.serial = text != nullptr ? text : "";
        OPENSSL_free(text);
        BN_free(serial);
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (X509_digest(certificate, EVP_sha256(), digest.data(), &length) == 1) {
        id.sha256.assign(reinterpret_cast<const char*>(digest.data()), length);
    }
    id.crl_urls = crl_distribution_points(certificate);
    id.not_before = unix_time(X509_get0_notBefore(certificate));
    id.not_after = unix_time(X509_get0_notAfter(certificate));
    return id;
}

namespace {

std::vector<X509Ptr> pem_certificates(BIO* in) {
    std::vector<X509Ptr> certificates;
    while (X509* cert = PEM_read_bio_X509(in, nullptr, nullptr, nullptr)) {
        certificates.emplace_back(cert);
    }
    ERR_clear_error();  // the end of the input reads as an error
    return certificates;
}

}  // namespace

std::vector<X509Ptr> parse_pem_certificates(std::string_view pem) {
    if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return {};
    }
    const BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!in) {
        return {};
    }
    return pem_certificates(in.get());
}

std::vector<X509Ptr> read_pem_certificates(const std::filesystem::path& file) {
    const BioPtr in(BIO_new_file(file.c_str(), "r"));
    if (!in) {
        throw std::runtime_error("cannot read " + file.string() + ": " + openssl_error());
    }
    auto certificates = pem_certificates(in.get());
    if (certificates.empty()) {
        throw std::runtime_error(file.string() + " holds no PEM certificate");
    }
    return certificates;
}

}  // namespace govmail::auth
