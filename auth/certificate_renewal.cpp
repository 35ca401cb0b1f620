#include "auth/certificate_renewal.hpp"

#include "storage/pg/errc.hpp"

namespace govmail::auth {
namespace asio = boost::asio;

namespace {

storage::CertificateKey key_of(const CertificateIdentity& identity) {
    return {identity.issuer, identity.serial, identity.sha256};
}

// The audit entry of MADE, the binding of IDENTITY that renews RENEWED (HELD for approval).
storage::AuditEntry renewal_entry(
    const CertificateIdentity& identity,
    const storage::CertBinding& renewed,
    const storage::CertBinding& made,
    bool held
) {
    const auto detail = "binding " + std::to_string(made.id) + " renews binding " +
                        std::to_string(renewed.id) + ": " + identity.subject + " (issuer " +
                        identity.issuer + ", serial " + identity.serial + ")" +
                        (held ? ", held for `mailadm cert approve`" : "");
    return storage::AuditEntry{identity.subject, held ? "cert.renewal.held" : "cert.renew",
                               renewed.account,  std::nullopt,
                               "external",       detail};
}

}  // namespace

CertificateRenewalPolicy::CertificateRenewalPolicy(storage::Pool& pool, CertificateRenewal mode)
    : certs_(pool), mode_(mode) {}

asio::awaitable<Result<storage::CertBinding>> CertificateRenewalPolicy::find_binding(
    const CertificateIdentity& identity
) {
    const auto key = key_of(identity);
    auto own = co_await certs_.find(key);
    if (own || own.error() != make_error_code(storage::Errc::NotFound)) {
        co_return own;
    }
    if (identity.subject.empty()) {
        co_return own;  // nothing to follow
    }
    const auto renewed = co_await certs_.find_renewed(key, identity.subject, identity.not_before);
    if (!renewed) {
        co_return renewed.error();
    }
    co_return co_await renew(identity, *renewed);
}

asio::awaitable<Result<bool>> CertificateRenewalPolicy::pending(const CertificateIdentity& identity
) {
    const auto key = key_of(identity);
    const auto held = co_await certs_.find(key, true);
    if (!held && held.error() != make_error_code(storage::Errc::NotFound)) {
        co_return Result<bool>(boost::system::in_place_error, held.error());
    }
    co_return held.has_value();
}

asio::awaitable<Result<storage::CertBinding>> CertificateRenewalPolicy::renew(
    const CertificateIdentity& identity, const storage::CertBinding& renewed
) {
    const bool held = mode_ == CertificateRenewal::Approve;
    const storage::NewCertBinding binding{
        renewed.account,     key_of(identity),   identity.crl_urls, identity.subject,
        identity.not_before, identity.not_after, renewed.id,        held};
    auto bound = co_await certs_.bind(binding, [&](const storage::CertBinding& made) {
        return renewal_entry(identity, renewed, made, held);
    });
    if (!bound) {
        if (bound.error() != make_error_code(storage::Errc::Exists)) {
            co_return bound.error();
        }
        co_return co_await certs_.find(binding.key);  // bound meanwhile, or already held
    }
    if (held) {
        co_return make_error_code(storage::Errc::NotFound);
    }
    co_return std::move(*bound);
}

}  // namespace govmail::auth
