#include "storage/pg/database_config.hpp"

#include <algorithm>

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

PoolOptions daemon_pool_options(const Config& config, std::size_t shards) {
    shards = std::max<std::size_t>(1, shards);
    const auto size = std::max<std::size_t>(1, (config.database.pool_size + shards - 1) / shards);
    return PoolOptions{database_dsn(config), size, config.database.query_timeout};
}

}  // namespace govmail::storage
