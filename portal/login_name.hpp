#pragma once

// The portal's ID field: officials know their mail ID ("jihun.park"), so a name without '@'
// is taken as that mail ID at a local domain ([server] local_domains): the first domain where
// such an account exists, else the first domain. A full address is used as given.

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "portal/portal.hpp"

namespace govmail::portal {

// The login name for what the user typed in the ID field.
boost::asio::awaitable<std::string> login_name(Portal& portal, std::string_view typed);

}  // namespace govmail::portal
