#pragma once

// Renewed GPKI certificates follow their owner. Officials get a new certificate (new key and
// serial) every few years; one from the same CA with the same subject as a bound certificate,
// valid from later than it, is that person's renewal. At its first login it is bound to the
// same account (with its audit entry, in one transaction), at once or, under
// `[gpki] renewal = approve`, held until an administrator runs `mailadm cert approve ID`. The
// old binding stays: its certificate keeps logging in until it expires, after which the GPKI
// check refuses it.

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "auth/gpki_certificate.hpp"
#include "common/config.hpp"
#include "common/result.hpp"
#include "storage/cert_store.hpp"

namespace govmail::auth {

inline constexpr std::string_view kRenewalPendingText =
    "Your renewed certificate is waiting for your administrator's approval";

class CertificateRenewalPolicy {
public:
    CertificateRenewalPolicy(storage::Pool& pool, CertificateRenewal mode);

    // The binding that lets IDENTITY (a verified certificate) log in: its own, or a new one
    // when it renews a bound certificate. NotFound when neither, also when the renewal is
    // held for approval (pending() then tells).
    boost::asio::awaitable<Result<storage::CertBinding>> find_binding(
        const CertificateIdentity& identity
    );
    // Whether IDENTITY's binding is held for approval.
    boost::asio::awaitable<Result<bool>> pending(const CertificateIdentity& identity);

private:
    boost::asio::awaitable<Result<storage::CertBinding>> renew(
        const CertificateIdentity& identity, const storage::CertBinding& renewed
    );

    storage::CertStore certs_;
    CertificateRenewal mode_;
};

}  // namespace govmail::auth
