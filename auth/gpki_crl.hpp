#pragma once

// Certificate revocation lists on disk: the CRL directory the verifier loads and
// `mailadm gpki crl refresh` fills. A CRL is kept one per file, PEM or DER; a file that does
// not parse is skipped with a warning, so one damaged download cannot stop every login.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "auth/openssl_ptr.hpp"

namespace govmail::auth {

// A CRL from BYTES in PEM or DER form; null when it is neither.
X509CrlPtr parse_crl(std::string_view bytes);

// The URIs of CRL's delta CRLs (its freshestCRL extension, RFC 5280 5.2.6); none when it has
// none.
std::vector<std::string> freshest_crl_points(X509_CRL* crl);

// Every CRL in DIR (none when DIR does not exist).
std::vector<X509CrlPtr> read_crl_dir(const std::filesystem::path& dir);

// What identifies the state of DIR's files (names, sizes, modification times): when it
// changes, the CRLs are read again.
std::string crl_dir_stamp(const std::filesystem::path& dir);

}  // namespace govmail::auth
