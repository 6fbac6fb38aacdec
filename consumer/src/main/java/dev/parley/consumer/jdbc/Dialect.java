package dev.parley.consumer.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The few places where SQLite and PostgreSQL differ for the database sink: JSON and timestamp columns. */
enum Dialect {

    SQLITE("sqlite", "?", "?"),
    POSTGRESQL("postgresql", "CAST(? AS JSONB)", "?");

    /** Folder of this dialect's migrations under {@code db/migration}. */
    final String folder;
    /** Placeholder for a JSON value bound as a string. */
    final String json;
    /** Placeholder for an instant, bound by {@link #setInstant}. */
    final String instant;

    Dialect(String folder, String json, String instant) {
        this.folder = folder;
        this.json = json;
        this.instant = instant;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("database: \"" + DatabaseSink.redacted(jdbcUrl) + "\" is not a database Parley writes to"
                + " (expected jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE)");
    }

    /** SQLite keeps instants as ISO-8601 text, which sorts in time order; PostgreSQL as timestamptz. */
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (this == SQLITE) {
            statement.setString(index, instant.toString());
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }
}
