#include "storage/pg/errc.hpp"

#include <string>

namespace govmail::storage {
namespace {

class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "govmail.storage"; }

    std::string message(int value) const override {
        switch (static_cast<Errc>(value)) {
            case Errc::NotFound:
                return "not found";
            case Errc::Exists:
                return "already exists";
            case Errc::NoPerm:
                return "permission denied";
            case Errc::OverQuota:
                return "over quota";
            case Errc::InUse:
                return "in use";
            case Errc::Expunged:
                return "message expunged";
            case Errc::Limit:
                return "limit reached";
            case Errc::TooBig:
                return "too big";
            case Errc::InvalidData:
                return "invalid data";
            case Errc::Temp:
                return "temporary database failure";
            case Errc::Unavailable:
                return "database unavailable";
            case Errc::InDoubt:
                return "database connection lost during COMMIT, outcome unknown";
        }
        return "unknown storage error";
    }
};

}  // namespace

const boost::system::error_category& storage_category() noexcept {
    static const Category category;
    return category;
}

Errc errc_from_sqlstate(std::string_view sqlstate) noexcept {
    if (sqlstate == "23505") {
        return Errc::Exists;
    }
    if (sqlstate == "23503" || sqlstate.starts_with("22")) {
        return Errc::InvalidData;
    }
    if (sqlstate == "57014") {
        return Errc::Limit;  // query_canceled: ran past a statement_timeout the caller set
    }
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate.starts_with("53")) {
        return Errc::Temp;
    }
    if (sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
        sqlstate == "57P03") {
        return Errc::Unavailable;
    }
    if (sqlstate == "42501") {
        return Errc::NoPerm;
    }
    return Errc::Temp;
}

}  // namespace govmail::storage
