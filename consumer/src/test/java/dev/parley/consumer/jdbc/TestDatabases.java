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
public final class TestDatabases {

    public static final String POSTGRESQL = System.getenv().getOrDefault("PARLEY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    private TestDatabases() {
    }

    public static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("parley.db");
    }

    /** A fresh schema on the test server; the URL selects it. */
    public static String freshPostgresqlSchema() throws SQLException {
        String schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRESQL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return POSTGRESQL + (POSTGRESQL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void dropPostgresqlSchema(String url) throws SQLException {
        String schema = url.replaceFirst(".*currentSchema=", "");
        try (Connection connection = DriverManager.getConnection(POSTGRESQL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The first column of every row a query returns: numbers as Long, anything else as the driver gives it. */
    public static List<Object> column(String url, String query) throws SQLException {
        List<Object> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                Object value = rows.getObject(1);
                values.add(value instanceof Number n ? (Object) n.longValue() : value);
            }
        }
        return values;
    }

    /** Every row of a table, in key order, as text: what a reader of the table would see. */
    public static List<String> rows(String url, String table, String orderBy) throws SQLException {
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
