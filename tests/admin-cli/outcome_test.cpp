// How mailadm prints outcomes and maps storage errors to exit codes.

#include "admin-cli/outcome.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

using storage::Errc;

TEST(StorageFailure, MapsToExitCodes) {
    EXPECT_EQ(storage_failure(make_error_code(Errc::NotFound), "x").code, ExitCode::Refused);
    EXPECT_EQ(storage_failure(make_error_code(Errc::Exists), "x").code, ExitCode::Refused);
    EXPECT_EQ(storage_failure(make_error_code(Errc::InvalidData), "x").code, ExitCode::Usage);
    EXPECT_EQ(storage_failure(make_error_code(Errc::Unavailable), "x").code, ExitCode::Error);
    EXPECT_EQ(storage_failure(make_error_code(Errc::Temp), "x").code, ExitCode::Error);
}

TEST(IsoTime, IsUtcWithSeconds) {
    EXPECT_EQ(iso_time(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(iso_time(1'700'000'000), "2023-11-14T22:13:20Z");
}

TEST(PrintOutcome, RendersArraysAsAlignedTables) {
    const Outcome outcome{
        ExitCode::Ok,
        {},
        Json::array(
            {Json{{"address", "a@x"}, {"state", "active"}, {"password", true}},
             Json{{"address", "long@x"}, {"state", "suspended"}, {"password", nullptr}}}
        )};
    std::ostringstream out;
    std::ostringstream err;
    print_outcome(outcome, false, out, err);
    EXPECT_EQ(
        out.str(),
        "address  state      password\n"
        "a@x      active     yes\n"
        "long@x   suspended  -\n"
    );
    EXPECT_EQ(err.str(), "");
}

TEST(PrintOutcome, CountsHangulAsTwoColumns) {
    const Outcome outcome{
        ExitCode::Ok,
        {},
        Json::array({Json{{"name", "홍길동"}, {"x", 1}}, Json{{"name", "Kim"}, {"x", 2}}})};
    std::ostringstream out;
    std::ostringstream err;
    print_outcome(outcome, false, out, err);
    EXPECT_EQ(out.str(), "name    x\n홍길동  1\nKim     2\n");
}

TEST(PrintOutcome, RendersObjectsAsFields) {
    std::ostringstream out;
    std::ostringstream err;
    print_outcome(
        Outcome{ExitCode::Ok, "done", Json{{"id", 3}, {"device", "PC"}}}, false, out, err
    );
    EXPECT_EQ(out.str(), "id:     3\ndevice: PC\ndone\n");
}

TEST(PrintOutcome, ListsOfRecordsInAnObjectFollowAsTables) {
    std::ostringstream out;
    std::ostringstream err;
    const Json changes = Json::array({Json{{"change", "retire"}, {"name", "홍길동"}}});
    print_outcome(
        Outcome{ExitCode::Ok, "done", Json{{"changes", changes}, {"retired", 1}}}, false, out, err
    );
    EXPECT_EQ(out.str(), "retired: 1\n\nchanges:\nchange  name\nretire  홍길동\ndone\n");
}

TEST(PrintOutcome, FailuresGoToStderrOrJsonError) {
    std::ostringstream out;
    std::ostringstream err;
    print_outcome(refused("account a@x: already exists"), false, out, err);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(err.str(), "mailadm: account a@x: already exists\n");

    std::ostringstream json;
    print_outcome(refused("nope"), true, json, err);
    EXPECT_EQ(Json::parse(json.str()), Json({{"error", "nope"}}));
}

}  // namespace
}  // namespace govmail::admin
