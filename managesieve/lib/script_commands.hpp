#pragma once

// The script commands of an authenticated ManageSieve session (RFC 5804 sections 2.6-2.12):
// HAVESPACE, PUTSCRIPT, CHECKSCRIPT, LISTSCRIPTS, GETSCRIPT, SETACTIVE, DELETESCRIPT and
// RENAMESCRIPT. An account keeps one script; the active script is its away reply. The script
// govmail wrote from an away reply set in the portal or by mailadm may be replaced under
// another name (a client's own, such as "roundcube"); a script a client uploaded may not.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "managesieve/proto/requests.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::managesieve {

inline constexpr std::size_t kMaxScriptBytes = 128 * 1024;

struct ScriptContext {
    storage::Pool& pool;
    storage::AccountId account = 0;
    std::string session_id;  // for the log
};

// The full response (data lines and OK/NO) to each script command. The session has checked
// that it is logged in (command_table.hpp).
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, HaveSpace request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, PutScript request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, CheckScript request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, ListScripts request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, GetScript request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, SetActive request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, DeleteScript request);
boost::asio::awaitable<std::string> run_script_command(ScriptContext context, RenameScript request);

}  // namespace govmail::managesieve
