#include "tests/support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace govmail::test {

storage::EmbeddedPostgresOptions test_cluster_options(const std::string& root) {
    storage::EmbeddedPostgresOptions options;
    options.root = root;
    options.port = kTestPgPort;
    options.listen_on_loopback = false;
    options.extra_server_options = "-c fsync=off -c max_connections=300";
    return options;
}

std::string test_dsn() {
    const char* root = std::getenv("GOVMAIL_TEST_PG_ROOT");
    if (root == nullptr) {
        throw std::runtime_error(
            "GOVMAIL_TEST_PG_ROOT is not set: run the pg tests through ctest, which starts "
            "the test database"
        );
    }
    return storage::EmbeddedPostgres(test_cluster_options(root)).dsn();
}

std::string unique_address(const std::string& prefix) {
    static std::atomic<int> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch().count();
    return prefix + "." + std::to_string(::getpid()) + "." + std::to_string(now) + "." +
           std::to_string(counter++) + "@localhost";
}

}  // namespace govmail::test
