package dev.parley.consumer.jdbc;

import dev.parley.localkafka.junit.KafkaExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real databases the database sink is tested on: a SQLite file, and a PostgreSQL server where each test gets a
 * schema of its own, dropped afterwards. The server is the one {@code PARLEY_TEST_JDBC_URL} names, else
 * Testcontainers' {@code postgres:16} where a Docker engine runs (as for the tests' Kafka, see KafkaExtension),
 * else the one on {@code 127.0.0.1:5432}, database {@code test}.
 */
public final class TestDatabases {

    public static final String POSTGRESQL = postgresqlServer();

    private TestDatabases() {
    }

    private static String postgresqlServer() {
        String named = System.getenv("PARLEY_TEST_JDBC_URL");
        if (named != null && !named.isBlank()) {
            return named;
        }
        var whyNot = KafkaExtension.whyNotTestcontainers();
        if (whyNot.isPresent()) {
            System.out.println("Integration tests' PostgreSQL: 127.0.0.1:5432 (not Testcontainers: " + whyNot.get() + ")");
            return "jdbc:postgresql://127.0.0.1:5432/test";
        }
        var container = new PostgreSQLContainer("postgres:16"); // stopped by Testcontainers when the test JVM exits
        container.start();
        System.out.println("Integration tests' PostgreSQL: Testcontainers postgres:16 at " + container.getJdbcUrl());
        return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
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
