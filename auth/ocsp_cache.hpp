#pragma once

// OCSP answers kept by issuer and serial number until the answer's nextUpdate, so that a
// certificate's status is asked once per validity of its answer, not once per login. Bounded:
// when full, expired answers go first, then the whole cache (answers are only re-asked).
// Thread-safe.

#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth/gpki_revocation.hpp"

namespace govmail::auth {

class OcspCache {
public:
    explicit OcspCache(std::size_t capacity) : capacity_(capacity) {}

    // The answer kept for KEY while it is valid at NOW.
    std::optional<RevocationAnswer> find(const std::string& key, std::time_t now);
    // Keeps ANSWER for KEY until UNTIL.
    void keep(const std::string& key, RevocationAnswer answer, std::time_t until, std::time_t now);

private:
    struct Entry {
        RevocationAnswer answer;
        std::time_t until;
    };
    std::size_t capacity_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace govmail::auth
