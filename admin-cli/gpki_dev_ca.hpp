#pragma once

// The development GPKI CA (var_dir/gpki, made by `govmail start`) as mailadm uses it: whether
// [gpki] ca_bundle is that CA, and its CRL in the CRL directory. `mailadm gpki dev-issue` and
// `dev-crl` and the CRL refresher issue from it only when it is the CA in use, so a deployment
// that trusts a real CA never gets a development certificate or CRL.

#include <filesystem>

#include "common/config.hpp"

namespace govmail::admin {

// Whether [gpki] ca_bundle is the development CA; if so, makes it when it is missing.
bool uses_dev_ca(const Config& config);

std::filesystem::path dev_ca_certificate(const Config& config);

// crl_dir/dev-ca.crl
std::filesystem::path dev_crl_file(const Config& config);

// Writes a fresh CRL of the development CA (it revokes nothing) to dev_crl_file, valid for
// kDevCrlDays. The caller checks uses_dev_ca first.
void issue_dev_crl(const Config& config);

constexpr int kDevCrlDays = 30;

}  // namespace govmail::admin
