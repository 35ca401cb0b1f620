#include "imapd/cmd/errors.hpp"

#include <spdlog/spdlog.h>

#include "storage/pg/errc.hpp"

namespace govmail::imap {

Reply refuse(std::string_view code, std::string_view text) {
    return Reply::no("[" + std::string(code) + "] " + std::string(text));
}

Reply storage_failure(
    Session& session, const boost::system::error_code& error, MissingMailbox missing
) {
    using storage::Errc;
    if (error.category() == storage::storage_category()) {
        switch (static_cast<Errc>(error.value())) {
            case Errc::NotFound:
            case Errc::NoPerm:
                return missing == MissingMailbox::TryCreate
                           ? refuse("TRYCREATE", "Mailbox doesn't exist")
                           : refuse("NONEXISTENT", "Mailbox doesn't exist");
            case Errc::Exists:
                return refuse("ALREADYEXISTS", "Mailbox already exists");
            case Errc::OverQuota:
                return refuse("OVERQUOTA", "Quota exceeded");
            case Errc::InUse:
                return refuse("INUSE", "Mailbox is in use, try again");
            case Errc::Expunged:
                return refuse("EXPUNGEISSUED", "Message was expunged");
            case Errc::Limit:
                return refuse("LIMIT", "Limit reached");
            case Errc::TooBig:
                return refuse("TOOBIG", "Too big");
            case Errc::InvalidData:
                return refuse("CANNOT", "Invalid data");
            case Errc::Temp:
            case Errc::Unavailable:
                spdlog::warn("imap {}: storage unavailable: {}", session.id, error.message());
                return refuse("UNAVAILABLE", "Temporary failure, try again later");
            case Errc::InDoubt:
                spdlog::error("imap {}: {}, ending the session", session.id, error.message());
                session.untagged("BYE [UNAVAILABLE] Database connection lost, state unknown");
                session.state = State::Logout;
                return Reply::none();
        }
    }
    spdlog::error("imap {}: internal error: {}", session.id, error.message());
    return refuse("SERVERBUG", "Internal error, see server log (session " + session.id + ")");
}

}  // namespace govmail::imap
