// govmail-test-db: the CTest fixture that runs the embedded PostgreSQL for the pg and
// integration tests.
//   start ROOT          start (creating if needed) the cluster and migrate its database
//   stop ROOT           stop the cluster
//   dsn ROOT            print the connection string of the shared test database
//   createdb ROOT NAME  create and migrate database NAME, print its connection string
//                       (integration suites get one each, so their daemons' queue runners
//                       never see each other's mail)

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "storage/migrate.hpp"
#include "storage/pg/connection.hpp"
#include "tests/support/async.hpp"
#include "tests/support/test_database.hpp"

namespace {
using namespace govmail;

boost::asio::awaitable<Result<storage::MigrationReport>> migrate_database(
    boost::asio::any_io_executor ex, std::string dsn, boost::asio::thread_pool& blocking
) {
    auto conn =
        co_await storage::Connection::open(ex, std::move(dsn), blocking, std::chrono::seconds(60));
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await storage::migrate(**conn, {});
}

// Brings the schema of the database at DSN up to date; false (reported) on failure.
bool migrate(const std::string& dsn) {
    boost::asio::io_context ioc;
    boost::asio::thread_pool blocking(1);
    auto report = test::run(ioc, migrate_database(ioc.get_executor(), dsn, blocking));
    if (!report) {
        std::cerr << "migration failed: " << report.error().message() << "\n";
        return false;
    }
    return true;
}

int usage() {
    std::cerr << "usage: govmail-test-db start|stop|dsn ROOT | createdb ROOT NAME\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        return usage();
    }
    const std::string command = argv[1];
    storage::EmbeddedPostgres cluster(test::test_cluster_options(argv[2]));
    try {
        if (command == "stop" && argc == 3) {
            cluster.stop();
            return 0;
        }
        if (command == "dsn" && argc == 3) {
            std::cout << cluster.dsn() << "\n";
            return 0;
        }
        if (command == "start" && argc == 3) {
            cluster.start();
            return migrate(cluster.dsn()) ? 0 : 1;
        }
        if (command == "createdb" && argc == 4) {
            cluster.create_database(argv[3]);
            const auto dsn = cluster.dsn(argv[3]);
            if (!migrate(dsn)) {
                return 1;
            }
            std::cout << dsn << "\n";
            return 0;
        }
        return usage();
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
