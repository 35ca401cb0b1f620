#include "auth/gpki_verifier.hpp"

#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "auth/gpki_crl.hpp"

namespace govmail::auth {

// The CA certificates and the CRLs of one state of the CRL directory.
struct GpkiVerifier::Trust {
    std::string crl_stamp;
    X509StorePtr store;
};

namespace {

GpkiVerdict refuse(std::string text) { return GpkiVerdict{std::nullopt, std::move(text), {}}; }

std::string chain_refusal(int error) {
    switch (error) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "Certificate has expired";
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "Certificate is not yet valid";
        case X509_V_ERR_CERT_REVOKED:
            return "Certificate has been revoked";
        case X509_V_ERR_UNABLE_TO_GET_CRL:
        case X509_V_ERR_CRL_HAS_EXPIRED:
        case X509_V_ERR_CRL_NOT_YET_VALID:
        case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
            return "Certificate revocation status is unknown (no current CRL); try again later";
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return "Certificate is not issued by a trusted GPKI CA";
        default:
            return std::string("Certificate is not valid: ") + X509_verify_cert_error_string(error);
    }
}

bool has_policy(X509* certificate, const std::vector<std::string>& wanted) {
    auto* policies = static_cast<CERTIFICATEPOLICIES*>(
        X509_get_ext_d2i(certificate, NID_certificate_policies, nullptr, nullptr)
    );
    if (policies == nullptr) {
        return false;
    }
    bool found = false;
    for (int i = 0; i < sk_POLICYINFO_num(policies) && !found; ++i) {
        char oid[128];
        const int length =
            OBJ_obj2txt(oid, sizeof oid, sk_POLICYINFO_value(policies, i)->policyid, 1);
        found = length > 0 && std::find(wanted.begin(), wanted.end(), oid) != wanted.end();
    }
    CERTIFICATEPOLICIES_free(policies);
    return found;
}

// What the leaf itself must allow beyond a valid chain; empty when it is fit for login.
std::string usage_refusal(X509* leaf, const std::vector<std::string>& policy_oids) {
    if (X509_check_ca(leaf) != 0) {
        return "Certificate is a CA certificate, not a personal one";
    }
    if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 &&
        (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
        return "Certificate key usage does not allow digital signatures";
    }
    if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) != 0 &&
        (X509_get_extended_key_usage(leaf) & (XKU_SSL_CLIENT | XKU_ANYEKU)) == 0) {
        return "Certificate extended key usage does not allow client authentication";
    }
    if (!policy_oids.empty() && !has_policy(leaf, policy_oids)) {
        return "Certificate policy is not accepted for mail login";
    }
    return {};
}

}  // namespace

GpkiVerifier::GpkiVerifier(GpkiConfig config)
    : config_(std::move(config)), authorities_(read_pem_certificates(config_.ca_bundle)) {}

GpkiVerifier::~GpkiVerifier() = default;

std::shared_ptr<const GpkiVerifier::Trust> GpkiVerifier::current_trust() {
    auto stamp = crl_dir_stamp(config_.crl_dir);
    const std::lock_guard lock(mutex_);
    if (trust_ && trust_->crl_stamp == stamp) {
        return trust_;
    }
    auto trust = std::make_shared<Trust>();
    trust->crl_stamp = std::move(stamp);
    trust->store.reset(X509_STORE_new());
    for (const auto& authority : authorities_) {
        X509_STORE_add_cert(trust->store.get(), authority.get());
    }
    const auto crls = read_crl_dir(config_.crl_dir);
    for (const auto& crl : crls) {
        X509_STORE_add_crl(trust->store.get(), crl.get());
    }
    ERR_clear_error();  // duplicates are reported as errors and are harmless
    spdlog::info(
        "gpki: trust store with {} CA certificates and {} CRLs", authorities_.size(), crls.size()
    );
    trust_ = std::move(trust);
    return trust_;
}

GpkiVerdict GpkiVerifier::verify(SSL* tls) {
    X509* leaf = tls != nullptr ? SSL_get0_peer_certificate(tls) : nullptr;
    if (leaf == nullptr) {
        return refuse("No client certificate was presented");
    }
    return verify(leaf, SSL_get_peer_cert_chain(tls), std::time(nullptr));
}

GpkiVerdict GpkiVerifier::verify(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now) {
    auto verdict = check(leaf, untrusted, now);
    verdict.subject = name_text(X509_get_subject_name(leaf));
    return verdict;
}

GpkiVerdict GpkiVerifier::check(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now) {
    const auto trust = current_trust();
    const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), trust->store.get(), leaf, untrusted) != 1) {
        spdlog::error("gpki: verification context: {}", openssl_error());
        return refuse("Certificate could not be checked");
    }
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    X509_STORE_CTX_set_time(ctx.get(), 0, now);
    if (X509_verify_cert(ctx.get()) != 1) {
        const int error = X509_STORE_CTX_get_error(ctx.get());
        ERR_clear_error();
        return refuse(chain_refusal(error));
    }
    if (auto refusal = usage_refusal(leaf, config_.policy_oids); !refusal.empty()) {
        return refuse(std::move(refusal));
    }
    return GpkiVerdict{certificate_identity(leaf), {}, {}};
}

}  // namespace govmail::auth
