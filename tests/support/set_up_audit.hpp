#pragma once

// The audit entry of changes a test makes to set up its case (an account's password, an app
// password): stores take one with every change (storage/audited.hpp).

#include "storage/audited.hpp"

namespace govmail::test {

inline storage::AuditEntry set_up_entry() {
    return storage::AuditEntry{"test", "test.set-up", std::nullopt, std::nullopt, "test", ""};
}

// The same, for a change whose entry is made from its row.
template <class T>
storage::AuditOf<T> set_up_audit() {
    return [](const T&) { return set_up_entry(); };
}

}  // namespace govmail::test
