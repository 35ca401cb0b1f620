#pragma once

// Storage error conditions, the same set Dovecot's mail-error.h names, as an error_code
// category so they travel inside govmail::Result.

#include <boost/system/error_code.hpp>
#include <string_view>

namespace govmail::storage {

enum class Errc {
    NotFound = 1,
    Exists,
    NoPerm,
    OverQuota,
    InUse,
    Expunged,
    Limit,
    TooBig,
    InvalidData,
    Temp,         // retry may succeed (serialization failure, deadlock, timeout)
    Unavailable,  // the database cannot be reached
    InDoubt,      // the connection was lost before COMMIT's reply and the outcome stays unknown
};

const boost::system::error_category& storage_category() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), storage_category()};
}

// Maps a five-character SQLSTATE to the condition a caller can act on (STYLE.md "libpq").
Errc errc_from_sqlstate(std::string_view sqlstate) noexcept;

}  // namespace govmail::storage

template <>
struct boost::system::is_error_code_enum<govmail::storage::Errc> : std::true_type {};
