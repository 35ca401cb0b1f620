#pragma once

// The result type every fallible library call returns: a value or an error_code whose
// category says which layer failed (storage::Errc, ...).

#include <boost/system/result.hpp>

namespace govmail {

template <class T>
using Result = boost::system::result<T>;

}  // namespace govmail
