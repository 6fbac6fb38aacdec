package dev.parley.consumer.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.consumer.Sink;
import dev.parley.schemas.Change;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each negotiation's current status and its history of status changes in a database: a SQLite file on
 * one machine, PostgreSQL in production. The history is written once per (negotiation, version); the status
 * moves only forward, guarded by version in the upsert itself, so retries, restarts and replays change
 * nothing that is already there. Tables are created and upgraded by Flyway migrations.
 */
public final class DatabaseSink implements Sink {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSink.class);

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String insertChange;
    private final String upsertStatus;
    private final String upsertItem;
    private final String deleteItem;

    private DatabaseSink(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.insertChange = "INSERT INTO status_change (negotiation_id, version, from_version, known_at, kinds, caused_by, changes, replayed)"
                + " VALUES (?, ?, ?, " + dialect.instant + ", " + dialect.json + ", " + dialect.json + ", " + dialect.json + ", ?)"
                + " ON CONFLICT (negotiation_id, version) DO NOTHING";
        this.upsertStatus = "INSERT INTO negotiation_status (negotiation_id, version, phase, known_at) VALUES (?, ?, ?, " + dialect.instant + ")"
                + " ON CONFLICT (negotiation_id) DO UPDATE SET version = excluded.version, known_at = excluded.known_at,"
                + " phase = CASE WHEN ? THEN excluded.phase ELSE negotiation_status.phase END"
                + " WHERE excluded.version > negotiation_status.version";
        this.upsertItem = "INSERT INTO negotiation_status_item (negotiation_id, item, kind, value, version) VALUES (?, ?, ?, " + dialect.json + ", ?)"
                + " ON CONFLICT (negotiation_id, item) DO UPDATE SET kind = excluded.kind, value = excluded.value, version = excluded.version";
        this.deleteItem = "DELETE FROM negotiation_status_item WHERE negotiation_id = ? AND item = ?";
    }

    /**
     * Connects, migrates the tables to the latest version and returns the sink.
     *
     * @param jdbcUrl {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://HOST:PORT/DB?user=...}
     * @throws IllegalArgumentException naming the URL when it is neither
     */
    public static DatabaseSink open(String jdbcUrl) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("parley-database-sink");
        config.setMaximumPoolSize(dialect == Dialect.SQLITE ? 1 : 4); // SQLite has one writer at a time
        config.setAutoCommit(false);
        if (dialect == Dialect.SQLITE) {
            createParentFolder(jdbcUrl);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "5000");
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration/" + dialect.folder).load().migrate();
            log.info("Database sink on {}: schema at version {}", redacted(jdbcUrl), result.targetSchemaVersion);
            return new DatabaseSink(pool, dialect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean accept(StatusChange change) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                boolean written = writeHistory(connection, change) | moveStatusForward(connection, change);
                connection.commit();
                return written;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private boolean writeHistory(Connection connection, StatusChange change) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertChange)) {
            insert.setString(1, change.getNegotiationId());
            insert.setLong(2, change.getToVersion());
            insert.setLong(3, change.getFromVersion());
            dialect.setInstant(insert, 4, change.getKnownAt());
            insert.setString(5, json(change.getChanges().stream().map(c -> c.getKind().name()).distinct().toList()));
            insert.setString(6, json(change.getCausedBy()));
            insert.setString(7, json(change.getChanges().stream().map(DatabaseSink::asMap).toList()));
            insert.setBoolean(8, change.getReplayed());
            return insert.executeUpdate() > 0;
        }
    }

    /** Applies the change's items to the current status, only if it is newer than what the table holds. */
    private boolean moveStatusForward(Connection connection, StatusChange change) throws SQLException {
        PhaseUpdate phase = PhaseUpdate.of(change);
        try (PreparedStatement upsert = connection.prepareStatement(upsertStatus)) {
            upsert.setString(1, change.getNegotiationId());
            upsert.setLong(2, change.getToVersion());
            upsert.setString(3, phase.phase());
            dialect.setInstant(upsert, 4, change.getKnownAt());
            upsert.setBoolean(5, phase.touched());
            if (upsert.executeUpdate() == 0) {
                return false; // the table already holds this version or a later one
            }
        }
        try (PreparedStatement upsertItem = connection.prepareStatement(this.upsertItem);
             PreparedStatement deleteItem = connection.prepareStatement(this.deleteItem)) {
            for (Change item : change.getChanges()) {
                if (item.getAfter() == null) {
                    deleteItem.setString(1, change.getNegotiationId());
                    deleteItem.setString(2, item.getItem());
                    deleteItem.executeUpdate();
                } else {
                    upsertItem.setString(1, change.getNegotiationId());
                    upsertItem.setString(2, item.getItem());
                    upsertItem.setString(3, item.getKind().name());
                    upsertItem.setString(4, item.getAfter());
                    upsertItem.setLong(5, change.getToVersion());
                    upsertItem.executeUpdate();
                }
            }
        }
        return true;
    }

    /**
     * What a change does to the negotiation's phase column.
     *
     * @param touched whether the change has a phase item at all (else the column is left as it is)
     * @param phase   the phase after the change; null when the phase item was removed
     */
    record PhaseUpdate(boolean touched, String phase) {

        static PhaseUpdate of(StatusChange change) {
            return change.getChanges().stream().filter(item -> item.getItem().equals("phase")).reduce((first, last) -> last)
                    .map(item -> new PhaseUpdate(true, item.getAfter() == null ? null : phaseName(item.getAfter())))
                    .orElse(new PhaseUpdate(false, null));
        }
    }

    private static String phaseName(String phaseJson) {
        try {
            JsonNode phase = AvroJson.MAPPER.readTree(phaseJson).get("phase");
            return phase == null ? null : phase.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, Object> asMap(Change change) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", change.getKind().name());
        map.put("item", change.getItem());
        map.put("before", rawJson(change.getBefore()));
        map.put("after", rawJson(change.getAfter()));
        return map;
    }

    private static JsonNode rawJson(String json) {
        try {
            return json == null ? null : AvroJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return AvroJson.MAPPER.getNodeFactory().textNode(json);
        }
    }

    private static String json(Object value) {
        try {
            return AvroJson.MAPPER.writeValueAsString(value instanceof List<?> list ? new ArrayList<>(list) : value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createParentFolder(String sqliteUrl) {
        String file = sqliteUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
        Path parent = file.isEmpty() || file.startsWith(":memory:") ? null : Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the folder of the database " + file, e);
        }
    }

    /** The URL without its query, where a password may be. */
    static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceFirst("\\?.*", "?…");
    }

    @Override
    public void close() {
        pool.close();
    }
}
