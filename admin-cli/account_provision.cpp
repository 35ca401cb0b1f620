#include "admin-cli/account_provision.hpp"

#include "storage/lifecycle_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::admin {

Result<storage::Account> provision_account(
    AdminContext& context,
    const storage::NewAccount& account,
    const std::string& detail,
    const FinishAccount& finish
) {
    auto created = context.run(storage::Mailstore(context.pool())
                                   .create_account(account, [&](const storage::Account& made) {
                                       return context.audit_entry(
                                           "account.create", made.id, account.address + detail
                                       );
                                   }));
    if (!created) {
        return created;
    }
    if (auto finished = finish(created->id); !finished) {
        // Best effort: the finishing error is what the operator needs to see.
        (void)context.run(storage::LifecycleStore(context.pool())
                              .delete_account(created->id, [&](const storage::DeletedAccount&) {
                                  return context.audit_entry(
                                      "account.delete", created->id,
                                      account.address + " undone: " + finished.error().message()
                                  );
                              }));
        return finished.error();
    }
    return created;
}

}  // namespace govmail::admin
