package dev.parley.consumer.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real databases the database sink is tested on: a SQLite file, and the PostgreSQL server named by
 * {@code PARLEY_TEST_JDBC_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}), where each test gets a
 * schema of its own, dropped afterwards.
 */
final class TestDatabases {

    static final String POSTGRESQL = System.getenv().getOrDefault("PARLEY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    private TestDatabases() {
    }

    static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("parley.db");
    }

    /** A fresh schema on the test server; the URL selects it. */
    static String freshPostgresqlSchema() throws SQLException {
        String schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRESQL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return POSTGRESQL + (POSTGRESQL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static void dropPostgresqlSchema(String url) throws SQLException {
        String schema = url.replaceFirst(".*currentSchema=", "");
        try (Connection connection = DriverManager.getConnection(POSTGRESQL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Every row of a table, in key order, as text: what a reader of the table would see. */
    static List<String> rows(String url, String table, String orderBy) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(result.getMetaData().getColumnName(i)).append('=').append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
