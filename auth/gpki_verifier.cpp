#include "auth/gpki_verifier.hpp"

#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/gpki_crl.hpp"
#include "auth/ocsp_client.hpp"

namespace govmail::auth {

// The CA certificates and the CRLs of one state of the CRL directory.
struct GpkiVerifier::Trust {
    std::string crl_stamp;
    X509StorePtr store;
};

namespace {

GpkiVerdict refuse(std::string text) { return GpkiVerdict{std::nullopt, std::move(text), {}, {}}; }

std::string chain_refusal(int error) {
    switch (error) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "Certificate has expired";
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "Certificate is not yet valid";
        case X509_V_ERR_CERT_REVOKED:
            return "Certificate has been revoked";
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

constexpr const char* kUnknownText =
    "Certificate revocation status is unknown (no current CRL or OCSP answer); try again later";

bool is_unknown_crl(int error) {
    return error == X509_V_ERR_UNABLE_TO_GET_CRL || error == X509_V_ERR_CRL_HAS_EXPIRED ||
           error == X509_V_ERR_CRL_NOT_YET_VALID || error == X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER;
}

// Which certificates of the chain no current CRL covers (bit N: depth N), collected while
// OpenSSL goes on checking the rest; a CRL that lists a certificate still fails the chain.
struct CrlGaps {
    unsigned depths = 0;
    std::string detail;
};

int note_crl_gaps(int ok, X509_STORE_CTX* ctx) {
    const int error = X509_STORE_CTX_get_error(ctx);
    if (ok != 0 || !is_unknown_crl(error)) {
        return ok;
    }
    auto* gaps = static_cast<CrlGaps*>(X509_STORE_CTX_get_app_data(ctx));
    const int depth = X509_STORE_CTX_get_error_depth(ctx);
    gaps->depths |= 1U << static_cast<unsigned>(std::min(depth, 31));
    if (gaps->detail.empty()) {
        gaps->detail = std::string("CRL: ") + X509_verify_cert_error_string(error);
    }
    return 1;
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
    : config_(std::move(config)),
      authorities_(read_pem_certificates(config_.ca_bundle)),
      ocsp_cache_(config_.ocsp_cache_entries) {}

GpkiVerifier::~GpkiVerifier() { blocking_.join(); }

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

boost::asio::awaitable<GpkiVerdict> GpkiVerifier::verify_async(SSL* tls) {
    X509* leaf = tls != nullptr ? SSL_get0_peer_certificate(tls) : nullptr;
    if (leaf == nullptr) {
        co_return refuse("No client certificate was presented");
    }
    // Own references: the blocking thread must not read the SSL object.
    X509Ptr held(X509_dup(leaf));
    auto* chain = SSL_get_peer_cert_chain(tls);
    std::shared_ptr<STACK_OF(X509)> untrusted(
        chain != nullptr ? X509_chain_up_ref(chain) : nullptr,
        [](STACK_OF(X509) * stack) { sk_X509_pop_free(stack, X509_free); }
    );
    // Named first: g++ 12 hands a lambda with init-captures, passed as a temporary inside a
    // co_await expression, to the other thread still pointing into this coroutine's frame.
    auto check_there = [this, held = std::move(held),
                        untrusted]() -> boost::asio::awaitable<GpkiVerdict> {
        co_return verify(held.get(), untrusted.get(), std::time(nullptr));
    };
    co_return co_await boost::asio::co_spawn(
        blocking_, std::move(check_there), boost::asio::use_awaitable
    );
}

GpkiVerdict GpkiVerifier::verify(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now) {
    auto verdict = check(leaf, untrusted, now);
    verdict.subject = name_text(X509_get_subject_name(leaf));
    return verdict;
}

RevocationAnswer GpkiVerifier::ask_ocsp_cached(
    X509* leaf, X509* issuer, X509_STORE* trust, std::time_t now
) {
    const auto id = certificate_identity(leaf);
    const auto key = id.issuer + '\n' + id.serial;
    if (auto cached = ocsp_cache_.find(key, now)) {
        return *cached;
    }
    auto answer = ask_ocsp(ocsp_responder_url(leaf, config_), leaf, issuer, trust, config_);
    if (answer.answer.status != RevocationStatus::Unknown && answer.next_update) {
        ocsp_cache_.keep(key, answer.answer, *answer.next_update, now);
    }
    if (answer.answer.status == RevocationStatus::Unknown) {
        spdlog::warn("gpki: {} for {}", answer.answer.detail, id.subject);
    }
    return answer.answer;
}

GpkiVerdict GpkiVerifier::check(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now) {
    const auto trust = current_trust();
    const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), trust->store.get(), leaf, untrusted) != 1) {
        spdlog::error("gpki: verification context: {}", openssl_error());
        return refuse("Certificate could not be checked");
    }
    CrlGaps gaps;
    X509_STORE_CTX_set_app_data(ctx.get(), &gaps);
    X509_STORE_CTX_set_verify_cb(ctx.get(), note_crl_gaps);
    // Deltas need extended CRL support too: without it OpenSSL may take a delta CRL, newer
    // than its base, for a complete CRL and miss what only the base lists.
    X509_STORE_CTX_set_flags(
        ctx.get(), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL | X509_V_FLAG_USE_DELTAS |
                       X509_V_FLAG_EXTENDED_CRL_SUPPORT
    );
    X509_STORE_CTX_set_time(ctx.get(), 0, now);
    if (X509_verify_cert(ctx.get()) != 1) {
        const int error = X509_STORE_CTX_get_error(ctx.get());
        ERR_clear_error();
        return refuse(chain_refusal(error));
    }
    if (auto refusal = usage_refusal(leaf, config_.policy_oids); !refusal.empty()) {
        return refuse(std::move(refusal));
    }
    // The CA certificates of the chain are covered by CRLs only; the leaf as configured.
    RevocationAnswer revocation{RevocationStatus::Good, "CRL: good"};
    if ((gaps.depths & ~1U) != 0) {
        revocation = RevocationAnswer{RevocationStatus::Unknown, gaps.detail + " (a CA)"};
    } else {
        const RevocationAnswer crl = (gaps.depths & 1U) != 0
                                         ? RevocationAnswer{RevocationStatus::Unknown, gaps.detail}
                                         : revocation;
        X509* issuer = sk_X509_value(X509_STORE_CTX_get0_chain(ctx.get()), 1);
        revocation = combine_revocation(config_.revocation, crl, [&] {
            return ask_ocsp_cached(leaf, issuer, trust->store.get(), now);
        });
    }
    if (revocation.status == RevocationStatus::Revoked) {
        return refuse(chain_refusal(X509_V_ERR_CERT_REVOKED));
    }
    GpkiVerdict verdict{certificate_identity(leaf), {}, {}, {}};
    if (revocation.status == RevocationStatus::Unknown) {
        if (config_.revocation_unknown == UnknownRevocation::Hard) {
            return refuse(kUnknownText);
        }
        verdict.revocation_unknown = revocation.detail;
    }
    return verdict;
}

}  // namespace govmail::auth
