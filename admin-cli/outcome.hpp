#pragma once

// What a mailadm command produces: an exit code, a sentence for people and the data that
// `--json` prints (and the human form renders as a table or as key: value lines).

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace govmail::admin {

enum class ExitCode { Ok = 0, Refused = 1, Usage = 2, Error = 3 };

using Json = nlohmann::ordered_json;

struct Outcome {
    ExitCode code = ExitCode::Ok;
    std::string message;  // for people; on failure, what went wrong
    Json data;            // null when the message says everything
};

Outcome refused(std::string message);
Outcome usage_error(std::string message);
// A storage error: NotFound/Exists are refusals, InvalidData a usage error, the rest errors.
Outcome storage_failure(boost::system::error_code ec, const std::string& what);

// Unix seconds as "2024-05-01T09:30:00Z".
std::string iso_time(std::int64_t unix_seconds);

// Success goes to OUT, failure messages to ERR. JSON: DATA, or {"message"} / {"error"}.
void print_outcome(const Outcome& outcome, bool json, std::ostream& out, std::ostream& err);

}  // namespace govmail::admin
