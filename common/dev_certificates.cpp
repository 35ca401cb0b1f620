#include "common/dev_certificates.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace govmail {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(
        "dev certificates: " + what + ": " + ERR_error_string(ERR_get_error(), nullptr)
    );
}

KeyPtr make_ec_key() {
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        fail("key generation");
    }
    return key;
}

struct CertificateSpec {
    std::vector<std::pair<std::string, std::string>> subject;  // (field, value), in order
    bool is_ca = false;
    int days = 825;
    std::vector<std::pair<int, std::string>> extensions;  // (NID, config value)
};

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    // An empty configuration database: extensions such as certificatePolicies want one.
    const std::unique_ptr<CONF, Deleter<CONF, NCONF_free>> conf(NCONF_new(nullptr));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509V3_set_nconf(&ctx, conf.get());
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
        X509_EXTENSION_free(ext);
        fail("extension " + value);
    }
    X509_EXTENSION_free(ext);
}

// Issues a certificate for KEY; self-signed when SIGNER is null.
CertPtr issue(const CertificateSpec& spec, EVP_PKEY* key, X509* signer_cert, EVP_PKEY* signer_key) {
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    std::vector<unsigned char> serial_bytes(16);
    FILE* random = std::fopen("/dev/urandom", "rb");
    if (random == nullptr || std::fread(serial_bytes.data(), 1, 16, random) != 16) {
        if (random != nullptr) {
            static_cast<void>(std::fclose(random));  // read only: nothing to flush
        }
        throw std::runtime_error("dev certificates: cannot read /dev/urandom");
    }
    static_cast<void>(std::fclose(random));
    serial_bytes[0] &= 0x7f;
    BIGNUM* serial = BN_bin2bn(serial_bytes.data(), 16, nullptr);
    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
    BN_free(serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * spec.days);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    for (const auto& [field, value] : spec.subject) {
        X509_NAME_add_entry_by_txt(
            name, field.c_str(), MBSTRING_UTF8,
            reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0
        );
    }
    X509* issuer = signer_cert != nullptr ? signer_cert : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
    add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
    add_extension(
        cert.get(), issuer, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "CA:FALSE"
    );
    for (const auto& [nid, value] : spec.extensions) {
        add_extension(cert.get(), issuer, nid, value);
    }
    if (X509_sign(cert.get(), signer_key != nullptr ? signer_key : key, EVP_sha256()) == 0) {
        fail("signing");
    }
    return cert;
}

void write_pem(const std::filesystem::path& path, mode_t mode, auto&& writer) {
    std::filesystem::create_directories(path.parent_path());
    const auto old_mask = ::umask(static_cast<mode_t>(~mode & 0777));
    FILE* out = std::fopen(path.c_str(), "wb");
    ::umask(old_mask);
    if (out == nullptr) {
        throw std::runtime_error("dev certificates: cannot write " + path.string());
    }
    const bool written = writer(out) == 1;
    // fclose flushes: a full disk shows here, not in the writer.
    const bool closed = std::fclose(out) == 0;
    if (!written || !closed) {
        fail("writing " + path.string());
    }
}

void write_pair(
    const std::filesystem::path& cert_path,
    const std::filesystem::path& key_path,
    X509* cert,
    EVP_PKEY* key
) {
    write_pem(key_path, 0600, [&](FILE* f) {
        return PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    });
    write_pem(cert_path, 0644, [&](FILE* f) { return PEM_write_X509(f, cert); });
}

// The development GPKI CA under VAR_DIR, made by ensure_dev_certificates.
struct DevCa {
    CertPtr certificate;
    KeyPtr key;
};

DevCa read_dev_ca(const std::filesystem::path& var_dir) {
    const auto paths = dev_certificate_paths(var_dir);
    DevCa ca;
    if (FILE* in = std::fopen(paths.gpki_ca_certificate.c_str(), "rb"); in != nullptr) {
        ca.certificate.reset(PEM_read_X509(in, nullptr, nullptr, nullptr));
        static_cast<void>(std::fclose(in));
    }
    if (FILE* in = std::fopen(paths.gpki_ca_key.c_str(), "rb"); in != nullptr) {
        ca.key.reset(PEM_read_PrivateKey(in, nullptr, nullptr, nullptr));
        static_cast<void>(std::fclose(in));
    }
    if (!ca.certificate || !ca.key) {
        throw std::runtime_error(
            "dev certificates: no development CA at " + paths.gpki_ca_certificate.string() +
            " (`govmail start` makes it)"
        );
    }
    return ca;
}

}  // namespace

DevPersonFiles issue_dev_person(
    const std::filesystem::path& var_dir,
    const DevPerson& person,
    const std::filesystem::path& out_dir,
    const std::string& p12_password
) {
    const auto ca = read_dev_ca(var_dir);
    const auto key = make_ec_key();
    const CertificateSpec spec{
        {{"C", "KR"},
         {"O", "Government of Korea"},
         {"OU", person.agency},
         {"CN", person.common_name}},
        false,
        365,
        {{NID_key_usage, "critical,digitalSignature,nonRepudiation"},
         {NID_ext_key_usage, "clientAuth"},
         {NID_certificate_policies, person.policy_oid}},
    };
    const auto cert = issue(spec, key.get(), ca.certificate.get(), ca.key.get());
    const DevPersonFiles files{
        out_dir / "person.pem", out_dir / "person.key", out_dir / "person.p12"};
    write_pair(files.certificate, files.key, cert.get(), key.get());
    using Pkcs12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;
    const Pkcs12Ptr p12(PKCS12_create(
        p12_password.c_str(), person.common_name.c_str(), key.get(), cert.get(), nullptr, 0, 0, 0,
        0, 0
    ));
    if (!p12) {
        fail("PKCS#12");
    }
    write_pem(files.pkcs12, 0600, [&](FILE* f) { return i2d_PKCS12_fp(f, p12.get()); });
    return files;
}

void write_dev_crl(
    const std::filesystem::path& var_dir, const std::filesystem::path& crl_file, int days
) {
    const auto ca = read_dev_ca(var_dir);
    using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
    using TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;
    const CrlPtr crl(X509_CRL_new());
    const TimePtr last(X509_gmtime_adj(nullptr, -3600));
    const TimePtr next(X509_gmtime_adj(nullptr, 60L * 60 * 24 * days));
    if (!crl || !last || !next || X509_CRL_set_version(crl.get(), 1) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.certificate.get())) != 1 ||
        X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
        X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1 ||
        X509_CRL_sign(crl.get(), ca.key.get(), EVP_sha256()) == 0) {
        fail("CRL");
    }
    write_pem(crl_file, 0644, [&](FILE* f) { return PEM_write_X509_CRL(f, crl.get()); });
}

DevCertificatePaths dev_certificate_paths(const std::filesystem::path& var_dir) {
    return DevCertificatePaths{
        var_dir / "tls" / "server.pem",
        var_dir / "tls" / "server.key",
        var_dir / "gpki" / "ca.pem",
        var_dir / "gpki" / "ca.key",
    };
}

DevCertificatePaths ensure_dev_certificates(
    const std::filesystem::path& var_dir, const std::string& hostname
) {
    const auto paths = dev_certificate_paths(var_dir);
    if (!std::filesystem::exists(paths.server_certificate) ||
        !std::filesystem::exists(paths.server_key)) {
        const auto key = make_ec_key();
        const CertificateSpec spec{
            {{"O", "govmail development"}, {"CN", hostname}},
            false,
            825,
            {{NID_subject_alt_name, "DNS:" + hostname + ",DNS:localhost,IP:127.0.0.1,IP:::1"},
             {NID_key_usage, "critical,digitalSignature"},
             {NID_ext_key_usage, "serverAuth"}},
        };
        const auto cert = issue(spec, key.get(), nullptr, nullptr);
        write_pair(paths.server_certificate, paths.server_key, cert.get(), key.get());
    }
    if (!std::filesystem::exists(paths.gpki_ca_certificate) ||
        !std::filesystem::exists(paths.gpki_ca_key)) {
        const auto key = make_ec_key();
        const CertificateSpec spec{
            {{"C", "KR"}, {"O", "Government of Korea"}, {"OU", "GPKI"}, {"CN", "CA131100001"}},
            true,
            3650,
            {{NID_key_usage, "critical,keyCertSign,cRLSign"}},
        };
        const auto cert = issue(spec, key.get(), nullptr, nullptr);
        write_pair(paths.gpki_ca_certificate, paths.gpki_ca_key, cert.get(), key.get());
    }
    return paths;
}

}  // namespace govmail
