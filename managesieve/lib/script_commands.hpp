#pragma once

// The script commands of an authenticated ManageSieve session (RFC 5804 sections 2.6-2.12):
// HAVESPACE, PUTSCRIPT, CHECKSCRIPT, LISTSCRIPTS, GETSCRIPT, SETACTIVE, DELETESCRIPT and
// RENAMESCRIPT. An account keeps one script; the active script is its away reply.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "managesieve/proto/command_reader.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::managesieve {

inline constexpr std::size_t kMaxScriptBytes = 128 * 1024;

struct ScriptContext {
    storage::Pool& pool;
    storage::AccountId account = 0;
    std::string session_id;  // for the log
};

// The full response (data lines and OK/NO) to COMMAND, or nullopt when COMMAND is not a
// script command.
boost::asio::awaitable<std::optional<std::string>> run_script_command(
    ScriptContext context, Command command
);

}  // namespace govmail::managesieve
