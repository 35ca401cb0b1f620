#pragma once

// rspamd's dkim_signing and arc modules as govmail configures them, both with the keys and
// selectors `mailadm dkim` keeps in rspamd's Redis (common/dkim_redis.hpp names the hashes).
// Keys in Redis, not in files: an external rspamd cluster shares one Redis, and a new or
// rotated key signs at once, with no map reload.
// - dkim_signing: mail submitted by an authenticated account is signed for the domain of its
//   From header, only when the account belongs to that domain.
// - arc: a received message is sealed (RFC 8617) for the domain of its recipient when that
//   domain has a key; govmail puts the seal only on a copy it forwards to another domain
//   (filter/signature_fields.hpp), so that the next hop can trust the results govmail saw.

#include <string>
#include <utility>
#include <vector>

namespace govmail::launcher {

// local.d files: {file name, text}.
std::vector<std::pair<std::string, std::string>> dkim_config_files();

}  // namespace govmail::launcher
