// govmail-test-db start|stop|dsn ROOT: the CTest fixture that runs the embedded PostgreSQL
// for the pg and integration tests, with the schema migrated; `dsn` prints its connection
// string for scripts.

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "storage/connection.hpp"
#include "storage/migrate.hpp"
#include "tests/support/async.hpp"
#include "tests/support/test_database.hpp"

int main(int argc, char** argv) {
    using namespace govmail;
    if (argc != 3) {
        std::cerr << "usage: govmail-test-db start|stop|dsn ROOT\n";
        return 2;
    }
    const std::string command = argv[1];
    storage::EmbeddedPostgres cluster(test::test_cluster_options(argv[2]));
    try {
        if (command == "stop") {
            cluster.stop();
            return 0;
        }
        if (command == "dsn") {
            std::cout << cluster.dsn() << "\n";
            return 0;
        }
        if (command != "start") {
            std::cerr << "unknown command " << command << "\n";
            return 2;
        }
        cluster.start();
        boost::asio::io_context ioc;
        boost::asio::thread_pool blocking(1);
        auto report =
            test::run(ioc, [&]() -> boost::asio::awaitable<Result<storage::MigrationReport>> {
                auto conn = co_await storage::Connection::open(
                    ioc.get_executor(), cluster.dsn(), blocking, std::chrono::seconds(60)
                );
                if (!conn) {
                    co_return conn.error();
                }
                co_return co_await storage::migrate(**conn);
            }());
        if (!report) {
            std::cerr << "migration failed: " << report.error().message() << "\n";
            return 1;
        }
        std::cout << "test database ready, schema version " << report->current_version << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
