#include "mime/address_sort_keys.hpp"

#include <optional>

#include "mime/address.hpp"
#include "mime/base_subject.hpp"

namespace govmail::mime {
namespace {

// The first entry that is a mailbox (not a group marker).
std::optional<EnvelopeAddress> first_mailbox(std::string_view address_list) {
    for (auto& address : parse_address_list(address_list)) {
        if (address.host) {
            return std::move(address);
        }
    }
    return std::nullopt;
}

}  // namespace

std::string mailbox_sort_key(std::string_view address_list) {
    const auto address = first_mailbox(address_list);
    return address ? casemap_fold(address->mailbox.value_or("")) : std::string();
}

std::string display_sort_key(std::string_view address_list) {
    const auto address = first_mailbox(address_list);
    if (!address) {
        return {};
    }
    if (address->name && !address->name->empty()) {
        return casemap_fold(*address->name);
    }
    return casemap_fold(address->mailbox.value_or("") + "@" + *address->host);
}

}  // namespace govmail::mime
