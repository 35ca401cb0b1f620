// The SMTP access policy (see policy.hpp): submission senders, relaying, recipients, local
// senders on MX, and the tarpit.

#include "smtpd/lib/policy.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "mime/address.hpp"
#include "mime/ascii.hpp"
#include "mime/header.hpp"
#include "smtpd/proto/ascii.hpp"

namespace govmail::smtpd::policy {
namespace {

using smtp::Error;
using smtp::ErrorKind;

constexpr Error kAuthenticationRequired{ErrorKind::Policy, 530, "5.7.0", "Authentication required"};
constexpr Error kSenderNotOwned{
    ErrorKind::Policy, 553, "5.7.1", "Sender address does not belong to the logged-in account"};
constexpr Error kLocalSenderFromOutside{
    ErrorKind::Policy, 550, "5.7.1",
    "Sender address rejected: senders in this domain must authenticate on the submission port"};
constexpr Error kRelayDenied{ErrorKind::Policy, 554, "5.7.1", "Relay access denied"};
constexpr Error kUnknownRecipient{
    ErrorKind::Policy, 550, "5.1.1", "Recipient address rejected: user unknown"};
constexpr Error kAliasLoop{
    ErrorKind::Policy, 550, "5.4.6",
    "Recipient address rejected: alias loop or expansion too deep"};
constexpr Error kListOrganisationOnly{
    ErrorKind::Policy, 550, "5.7.1",
    "Recipient address rejected: this list takes mail from the organisation only"};
constexpr Error kListMembersOnly{
    ErrorKind::Policy, 550, "5.7.1",
    "Recipient address rejected: this list takes mail from its members only"};
constexpr Error kAuthorNotOwned{
    ErrorKind::Policy, 550, "5.7.1",
    "Message rejected: From or Sender header address does not belong to the logged-in account"};
constexpr Error kLocalAuthorFromOutside{
    ErrorKind::Policy, 550, "5.7.1",
    "Message rejected: From or Sender header names a local domain; senders in this domain "
    "must authenticate on the submission port"};
constexpr Error kAuthorsUncheckable{
    ErrorKind::Limit, 554, "5.6.0",
    "Message rejected: too many header fields or From/Sender addresses to check"};

// The domain as local_domains lists it: lower case, without the root's trailing dot.
std::string canonical_domain(std::string_view domain) {
    while (domain.ends_with('.')) {
        domain.remove_suffix(1);
    }
    return mime::lower(domain);
}

bool is_trusted_relay(const Config& config, const boost::asio::ip::address& address) {
    return std::any_of(
        config.smtp.trusted_relays.begin(), config.smtp.trusted_relays.end(),
        [&](const Network& network) { return contains(network, address); }
    );
}

// The rule on local senders applies to this client.
bool outside_client(const Config& config, const Client& client) {
    return client.account == nullptr && !is_trusted_relay(config, client.address);
}

struct Author {
    std::string local_part;
    std::string domain;
};

// Every mailbox of every From and Sender field (group markers left out), or nullopt when the
// header holds more fields or addresses than the readers keep: an author past those bounds
// would go unchecked while a mail client shows it.
std::optional<std::vector<Author>> authors(std::string_view message) {
    const auto header = mime::scan_header(message);
    if (header.fields.size() >= mime::kMaxHeaderFields) {
        return std::nullopt;
    }
    std::vector<Author> out;
    for (const auto& field : header.fields) {
        if (!smtp::ascii::iequals(field.name, "From") &&
            !smtp::ascii::iequals(field.name, "Sender")) {
            continue;
        }
        const auto addresses = mime::parse_address_list(mime::unfold(field.value));
        if (addresses.size() >= mime::kMaxAddresses) {
            return std::nullopt;
        }
        for (const auto& address : addresses) {
            if (address.mailbox && address.host) {
                out.push_back(Author{*address.mailbox, *address.host});
            }
        }
    }
    return out;
}

bool owns(const storage::Account& account, std::string_view address) {
    return smtp::ascii::iequals(address, account.address);
}

}  // namespace

bool in_local_domain(const Config& config, std::string_view address) {
    const auto at = address.rfind('@');
    return at != std::string_view::npos &&
           config.is_local_domain(canonical_domain(address.substr(at + 1)));
}

std::optional<Error> check_mail(
    const Config& config, const Client& client, std::string_view sender
) {
    if (client.submission && client.account == nullptr) {
        return kAuthenticationRequired;
    }
    if (client.account != nullptr && !owns(*client.account, sender)) {
        return kSenderNotOwned;
    }
    if (outside_client(config, client) && in_local_domain(config, sender)) {
        return kLocalSenderFromOutside;
    }
    return std::nullopt;
}

std::optional<Error> check_rcpt(const Client& client, RecipientStatus recipient) {
    switch (recipient) {
        case RecipientStatus::Local:
            return std::nullopt;
        case RecipientStatus::Unknown:
            return kUnknownRecipient;
        case RecipientStatus::Remote:
            if (client.account == nullptr) {
                return kRelayDenied;
            }
            return std::nullopt;
    }
    return kRelayDenied;
}

std::optional<Error> check_alias(const storage::AliasExpansion& expansion) {
    if (expansion.loop || expansion.too_deep) {
        return kAliasLoop;
    }
    return std::nullopt;
}

std::optional<Error> check_list_post(
    const Config& config, std::string_view sender, storage::ListPolicy policy, bool sender_is_member
) {
    switch (policy) {
        case storage::ListPolicy::Anyone:
            return std::nullopt;
        case storage::ListPolicy::Organisation:
            if (sender_is_member || in_local_domain(config, sender)) {
                return std::nullopt;
            }
            return kListOrganisationOnly;
        case storage::ListPolicy::Members:
            if (sender_is_member) {
                return std::nullopt;
            }
            return kListMembersOnly;
    }
    return kListOrganisationOnly;
}

std::optional<Error> check_message(
    const Config& config, const Client& client, std::string_view message
) {
    const bool outside = outside_client(config, client);
    if (!outside && client.account == nullptr) {
        return std::nullopt;  // a trusted relay
    }
    const auto found = authors(message);
    if (!found) {
        return kAuthorsUncheckable;
    }
    for (const auto& author : *found) {
        if (client.account != nullptr &&
            !owns(*client.account, author.local_part + "@" + author.domain)) {
            return kAuthorNotOwned;
        }
        if (outside && config.is_local_domain(canonical_domain(author.domain))) {
            return kLocalAuthorFromOutside;
        }
    }
    return std::nullopt;
}

std::chrono::milliseconds tarpit_delay(const SmtpConfig& config, std::size_t errors) {
    const auto step = config.tarpit_delay.count();
    const auto most = config.tarpit_max_delay.count();
    if (errors <= config.tarpit_after || step <= 0 || most <= 0) {
        return std::chrono::milliseconds{0};
    }
    const auto steps = errors - config.tarpit_after;
    if (steps > static_cast<std::size_t>(most / step)) {
        return config.tarpit_max_delay;
    }
    return std::chrono::milliseconds{step * static_cast<std::int64_t>(steps)};
}

}  // namespace govmail::smtpd::policy
