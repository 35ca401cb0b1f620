#include "storage/pg/embedded_postgres.hpp"

#include <libpq-fe.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace govmail::storage {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSuperuser = "govmail";

std::string random_password() {
    unsigned char bytes[24];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw std::runtime_error("embedded postgres: no randomness for the password");
    }
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (const auto b : bytes) {
        out.push_back(kAlphabet[b % (sizeof kAlphabet - 1)]);
    }
    return out;
}

void write_private_file(const fs::path& path, const std::string& content) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) {
            throw std::runtime_error("embedded postgres: cannot write " + path.string());
        }
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
}

std::string quote_conninfo(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out + "'";
}

}  // namespace

fs::path find_postgres_bin_dir() {
    fs::path best;
    int best_version = 0;
    const fs::path base = "/usr/lib/postgresql";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        const auto name = entry.path().filename().string();
        const int version = std::atoi(name.c_str());
        if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
            best_version = version;
            best = entry.path() / "bin";
        }
    }
    if (best.empty()) {
        throw std::runtime_error(
            "embedded postgres: no PostgreSQL server found under /usr/lib/postgresql "
            "(install postgresql, or configure database.dsn)"
        );
    }
    return best;
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options)
    : options_(std::move(options)),
      bin_dir_(find_postgres_bin_dir()),
      data_dir_(fs::absolute(options_.root) / "data"),
      socket_dir_(fs::absolute(options_.root) / "run"),
      password_file_(fs::absolute(options_.root) / "pgpass"),
      log_file_(fs::absolute(options_.root) / "server.log") {
    if (::geteuid() == 0) {
        const auto name = options_.run_as.empty() ? std::string("postgres") : options_.run_as;
        server_user_ = find_system_user(name);
        if (!server_user_) {
            throw std::runtime_error(
                "embedded postgres: running as root needs the system user '" + name +
                "' to run the database (set database.embedded_user)"
            );
        }
    }
}

int EmbeddedPostgres::pg_ctl(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{(bin_dir_ / "pg_ctl").string(), "-D", data_dir_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, server_user_, log_file_);
}

void EmbeddedPostgres::initialize() {
    fs::create_directories(options_.root);
    fs::create_directories(socket_dir_);
    const auto password = random_password();
    const auto initial_password = fs::absolute(options_.root) / "initdb.pw";
    write_private_file(initial_password, password + "\n");
    if (server_user_) {
        chown_tree(initial_password, *server_user_);
        chown_tree(socket_dir_, *server_user_);
        std::ofstream(log_file_, std::ios::app).close();
        chown_tree(log_file_, *server_user_);
    }
    fs::create_directories(data_dir_);
    if (server_user_) {
        chown_tree(data_dir_, *server_user_);
    }
    const int status = run_program(
        {(bin_dir_ / "initdb").string(), "-D", data_dir_.string(), "-U", kSuperuser,
         "--pwfile=" + initial_password.string(), "--auth=scram-sha-256", "--encoding=UTF8",
         "--locale=C.UTF-8"},
        server_user_, log_file_
    );
    fs::remove(initial_password);
    if (status != 0) {
        throw std::runtime_error("embedded postgres: initdb failed, see " + log_file_.string());
    }
    write_private_file(password_file_, std::string("*:*:*:") + kSuperuser + ":" + password + "\n");
}

bool EmbeddedPostgres::running() const {
    return fs::exists(data_dir_ / "PG_VERSION") && pg_ctl({"status"}) == 0;
}

void EmbeddedPostgres::start() {
    if (!fs::exists(data_dir_ / "PG_VERSION")) {
        initialize();
    }
    if (!running()) {
        const std::string listen = options_.listen_on_loopback ? "127.0.0.1" : "";
        const std::string server_options =
            "-k " + socket_dir_.string() + " -p " + std::to_string(options_.port) +
            " -c listen_addresses='" + listen + "' " + options_.extra_server_options;
        if (pg_ctl({"start", "-w", "-t", "60", "-l", log_file_.string(), "-o", server_options}) !=
            0) {
            throw std::runtime_error(
                "embedded postgres: the server did not start, see " + log_file_.string()
            );
        }
    }
    create_database(options_.database);
}

void EmbeddedPostgres::stop() {
    if (running()) {
        pg_ctl({"stop", "-w", "-m", "fast"});
    }
}

std::string EmbeddedPostgres::dsn(const std::string& database) const {
    return "host=" + quote_conninfo(socket_dir_.string()) +
           " port=" + std::to_string(options_.port) + " user=" + kSuperuser +
           " dbname=" + quote_conninfo(database.empty() ? options_.database : database) +
           " passfile=" + quote_conninfo(password_file_.string());
}

void EmbeddedPostgres::create_database(const std::string& database) const {
    struct Finish {
        void operator()(PGconn* c) const { PQfinish(c); }
    };
    std::unique_ptr<PGconn, Finish> conn(PQconnectdb(dsn("postgres").c_str()));
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw std::runtime_error(
            std::string("embedded postgres: cannot connect: ") + PQerrorMessage(conn.get())
        );
    }
    const char* values[] = {database.c_str()};
    std::unique_ptr<PGresult, decltype(&PQclear)> exists(
        PQexecParams(
            conn.get(), "SELECT 1 FROM pg_database WHERE datname = $1", 1, nullptr, values, nullptr,
            nullptr, 0
        ),
        &PQclear
    );
    if (PQntuples(exists.get()) > 0) {
        return;
    }
    // CREATE DATABASE takes no parameters: quote the name as an identifier.
    char* quoted = PQescapeIdentifier(conn.get(), database.c_str(), database.size());
    const std::string sql = std::string("CREATE DATABASE ") + quoted;
    PQfreemem(quoted);
    std::unique_ptr<PGresult, decltype(&PQclear)> created(
        PQexec(conn.get(), sql.c_str()), &PQclear
    );
    if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
        throw std::runtime_error(
            std::string("embedded postgres: CREATE DATABASE failed: ") +
            PQresultErrorMessage(created.get())
        );
    }
}

}  // namespace govmail::storage
