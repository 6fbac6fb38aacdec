package dev.parley.consumer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The database sink on a real SQLite file and a real PostgreSQL server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseSinkIT {

    private static final String NEGOTIATION = "ukraine-peace-2025";

    @TempDir
    Path dir;

    private String url;

    @AfterEach
    void dropSchema() throws Exception {
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            TestDatabases.dropPostgresqlSchema(url);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldKeepTheCurrentStatusAndTheHistoryOfChanges(String database) throws Exception {
        // given a sink on a fresh database
        try (var sink = DatabaseSink.open(url(database))) {
            // when three changes arrive: talks proposed, a meeting scheduled, then held and the phase moved on
            for (StatusChange change : history()) {
                assertThat(sink.accept(change)).isTrue();
            }
        }

        // then the status holds the latest version, phase and items; the history holds every change once
        assertThat(TestDatabases.rows(url, "negotiation_status", "negotiation_id")).singleElement().asString()
                .contains("version=3", "phase=DIRECT_TALKS", "negotiation_id=" + NEGOTIATION);
        assertThat(TestDatabases.rows(url, "negotiation_status_item", "item"))
                .satisfiesExactly(
                        meeting -> assertThat(meeting).contains("item=meeting:moscow", "kind=MEETING_HELD", "\"held\"", "version=3"),
                        phase -> assertThat(phase).contains("item=phase", "DIRECT_TALKS", "version=3"));
        assertThat(TestDatabases.rows(url, "status_change", "version"))
                .extracting(row -> row.replaceAll("^[^|]*\\| (version=\\d+) .*(kinds=[^|]*).*", "$1 $2").replace(" ", ""))
                .containsExactly("version=1kinds=[\"PHASE_CHANGED\"]", "version=2kinds=[\"MEETING_SCHEDULED\"]",
                        "version=3kinds=[\"MEETING_HELD\",\"PHASE_CHANGED\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldLeaveTheTablesUnchangedWhenTheSameChangesAreReplayed(String database) throws Exception {
        // given the history delivered once
        try (var sink = DatabaseSink.open(url(database))) {
            for (StatusChange change : history()) {
                sink.accept(change);
            }
        }
        List<List<String>> before = tables();

        // when it is replayed, twice, by a new sink on the same database
        try (var sink = DatabaseSink.open(url)) {
            for (int replay = 0; replay < 2; replay++) {
                for (StatusChange change : history()) {
                    StatusChange replayed = new StatusChange(change.getNegotiationId(), change.getFromVersion(), change.getToVersion(),
                            change.getChanges(), change.getCausedBy(), change.getKnownAt(), true);
                    // then nothing is delivered again
                    assertThat(sink.accept(replayed)).as("v" + change.getToVersion()).isFalse();
                }
            }
        }

        // and every table reads exactly as before
        assertThat(tables()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldNeverMoveTheStatusBackwards(String database) throws Exception {
        // given all three changes delivered
        try (var sink = DatabaseSink.open(url(database))) {
            for (StatusChange change : history()) {
                sink.accept(change);
            }

            // when version 2 comes again, late, with its history row missing (as when a parked change is retried)
            try (var connection = java.sql.DriverManager.getConnection(url); var statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM status_change WHERE version = 2");
            }
            boolean written = sink.accept(history().get(1));

            // then its history row is written again, and the status stays at version 3 with the meeting held
            assertThat(written).isTrue();
        }
        assertThat(TestDatabases.rows(url, "status_change", "version")).hasSize(3);
        assertThat(TestDatabases.rows(url, "negotiation_status", "negotiation_id")).singleElement().asString().contains("version=3");
        assertThat(TestDatabases.rows(url, "negotiation_status_item", "item")).first().asString().contains("\"held\"");
    }

    @Test
    void shouldRemoveAnItemThatAChangeRemoves() throws Exception {
        // given a meeting in the view
        try (var sink = DatabaseSink.open(url("sqlite"))) {
            sink.accept(history().get(1));

            // when a retraction removes it
            sink.accept(change(3, "retracted-meeting", new Change(ChangeKind.ITEM_REMOVED, "meeting:moscow", "{\"status\":\"scheduled\"}", null)));
        }

        // then the item is gone, and the history keeps both changes
        assertThat(TestDatabases.rows(url, "negotiation_status_item", "item")).isEmpty();
        assertThat(TestDatabases.rows(url, "status_change", "version")).hasSize(2);
    }

    @Test
    void shouldRefuseADatabaseItCannotWriteTo() {
        assertThatThrownBy(() -> DatabaseSink.open("jdbc:mysql://127.0.0.1:3306/test?password=secret"))
                .hasMessage("database: \"jdbc:mysql://127.0.0.1:3306/test?…\" is not a database Parley writes to"
                        + " (expected jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE)");
    }

    private String url(String database) throws Exception {
        url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresqlSchema();
        return url;
    }

    private List<List<String>> tables() throws Exception {
        return List.of(TestDatabases.rows(url, "negotiation_status", "negotiation_id"),
                TestDatabases.rows(url, "negotiation_status_item", "negotiation_id, item"),
                TestDatabases.rows(url, "status_change", "negotiation_id, version"));
    }

    private static List<StatusChange> history() {
        return List.of(
                change(1, "plan-proposed", new Change(ChangeKind.PHASE_CHANGED, "phase", null, "{\"phase\":\"PROPOSAL\"}")),
                change(2, "moscow-scheduled", new Change(ChangeKind.MEETING_SCHEDULED, "meeting:moscow", null, "{\"status\":\"scheduled\"}")),
                change(3, "moscow-held",
                        new Change(ChangeKind.MEETING_HELD, "meeting:moscow", "{\"status\":\"scheduled\"}", "{\"status\":\"held\"}"),
                        new Change(ChangeKind.PHASE_CHANGED, "phase", "{\"phase\":\"PROPOSAL\"}", "{\"phase\":\"DIRECT_TALKS\"}")));
    }

    private static StatusChange change(long version, String development, Change... items) {
        return new StatusChange(NEGOTIATION, version - 1, version, List.of(items), List.of(development),
                Instant.parse("2025-12-0" + (version + 1) + "T18:00:00Z"), false);
    }
}
