#include "storage/database_config.hpp"

namespace govmail::storage {

EmbeddedPostgresOptions embedded_options(const Config& config) {
    EmbeddedPostgresOptions options;
    options.root = config.var_dir / "db";
    options.port = config.database.embedded_port;
    options.run_as = config.database.embedded_user;
    return options;
}

bool uses_embedded_database(const Config& config) { return config.database.dsn.empty(); }

std::string database_dsn(const Config& config) {
    if (!uses_embedded_database(config)) {
        return config.database.dsn;
    }
    return EmbeddedPostgres(embedded_options(config)).dsn();
}

PoolOptions daemon_pool_options(const Config& config) {
    return PoolOptions{
        database_dsn(config), config.database.pool_size, config.database.query_timeout};
}

}  // namespace govmail::storage
