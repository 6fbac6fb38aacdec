package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.consumer.jdbc.TestDatabases;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import dev.parley.streams.StatusFold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one check every fault scenario ends with, in the spirit of Kafka's exactly-once system tests: every negotiation's
 * view and changes are recomputed from the committed log of record with the pure fold, in log order, and compared with
 * what the topology emitted and what each sink holds.
 *
 * <ul>
 *   <li>every development a producer was told was written is on {@code parley.developments};</li>
 *   <li>the changes of each negotiation on {@code parley.status-changes} are versions 1..v, each once, each
 *       {@code from_version = to_version - 1}, each equal to the recomputed change of that version;</li>
 *   <li>the latest view on {@code parley.status} equals the recomputed view, at the last change's version;</li>
 *   <li>every sink holds each change once, no version missing, none extra.</li>
 * </ul>
 */
final class FaultOracle {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int PROBLEMS_SHOWN = 25;

    /** What one oracle run saw: the scale, and how many things were lost or duplicated (both 0 when it passes). */
    record Summary(int developments, int duplicatesInLog, int negotiations, int changes, int lost, int duplicated) {
    }

    /**
     * What a sink holds: each change it wrote as {@code negotiation:version}, as often as it wrote it, and for a sink
     * that keeps a current status, the version of each negotiation's status (else null).
     */
    record SinkContents(String name, List<String> changes, Map<String, Long> statusVersions) {
    }

    private final String bootstrapServers;
    private final List<Development> acknowledged = new ArrayList<>();
    private final List<SinkContents> sinks = new ArrayList<>();
    private List<String> repeatedOnLog = List.of();

    FaultOracle(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Developments whose producer was told they were written: each must be on the log. */
    FaultOracle acknowledged(Collection<Development> developments) {
        acknowledged.addAll(developments);
        return this;
    }

    FaultOracle sink(SinkContents contents) {
        sinks.add(contents);
        return this;
    }

    /** After {@link #check()}: the developments the log holds more than once (negotiation, id and revision), once per extra copy. */
    List<String> repeatedOnLog() {
        return repeatedOnLog;
    }

    // ---- reading sinks ----

    /** The {@code status_change} and {@code negotiation_status} tables of a database sink. */
    static SinkContents database(String name, String url) throws Exception {
        List<String> changes = TestDatabases.column(url, "SELECT negotiation_id || ':' || version FROM status_change").stream()
                .map(Object::toString).toList();
        Map<String, Long> versions = new TreeMap<>();
        for (Object row : TestDatabases.column(url, "SELECT negotiation_id || ':' || version FROM negotiation_status")) {
            String text = row.toString();
            versions.put(text.substring(0, text.lastIndexOf(':')), Long.parseLong(text.substring(text.lastIndexOf(':') + 1)));
        }
        return new SinkContents(name, changes, versions);
    }

    /** A JSON lines file: one change per line. */
    static SinkContents jsonLines(String name, Path file) throws IOException {
        List<String> changes = new ArrayList<>();
        for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
            if (!line.isBlank()) {
                JsonNode json = AvroJson.MAPPER.readTree(line);
                changes.add(json.get("negotiation_id").asText() + ":" + json.get("to_version").asLong());
            }
        }
        return new SinkContents(name, changes, null);
    }

    /**
     * What a webhook receiver accepted, by {@code webhook-id} ({@code negotiation:version}): a receiver deduplicates on
     * it, so a redelivery after a crash is the contract, not a duplicate.
     */
    static SinkContents webhook(String name, WebhookReceiver receiver) {
        return new SinkContents(name, List.copyOf(receiver.acceptedById.keySet()), null);
    }

    // ---- the check ----

    /** Reads the three topics, recomputes, compares; fails naming every problem (the first few) with its negotiation and version. */
    Summary check() throws Exception {
        Recomputed expected = recompute();
        Map<String, NegotiationStatus> emittedViews = latestViews();
        List<StatusChange> emittedChanges = TopicSnapshot.read(bootstrapServers, Topics.STATUS_CHANGES, AvroSerde.of(StatusChange.class),
                READ_TIMEOUT).stream().map(record -> record.value()).toList();

        List<String> problems = new ArrayList<>(expected.unreadable());
        int lost = lostDevelopments(expected.logged(), problems);
        int duplicated = 0;

        Map<String, List<StatusChange>> byNegotiation = new TreeMap<>();
        emittedChanges.forEach(change -> byNegotiation.computeIfAbsent(change.getNegotiationId(), id -> new ArrayList<>()).add(change));
        Set<String> negotiations = new java.util.TreeSet<>(expected.views().keySet());
        negotiations.addAll(byNegotiation.keySet());
        negotiations.addAll(emittedViews.keySet());
        for (String negotiation : negotiations) {
            List<StatusChange> wanted = expected.changes().getOrDefault(negotiation, List.of());
            Tally tally = compareChanges(negotiation, wanted, byNegotiation.getOrDefault(negotiation, List.of()), problems);
            lost += tally.missing();
            duplicated += tally.repeated();
            lost += compareView(negotiation, expected.views().get(negotiation), emittedViews.get(negotiation), wanted.size(), problems);
        }

        Set<String> versions = expectedVersions(expected.changes());
        for (SinkContents sink : sinks) {
            Tally tally = compareSink(sink, versions, expected.changes(), problems);
            lost += tally.missing();
            duplicated += tally.repeated();
        }

        repeatedOnLog = expected.repeatedOnLog();
        var summary = new Summary(expected.logged().size(), repeatedOnLog.size(), expected.views().size(), versions.size(), lost, duplicated);
        if (!problems.isEmpty()) {
            throw new AssertionError("The fault oracle found " + problems.size() + " problem(s) (lost " + lost + ", duplicated " + duplicated
                    + ", " + summary + "):\n  " + String.join("\n  ", problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size())))
                    + (problems.size() > PROBLEMS_SHOWN ? "\n  ... and " + (problems.size() - PROBLEMS_SHOWN) + " more" : ""));
        }
        return summary;
    }

    /** The latest view of each negotiation on {@code parley.status}; only the latest of each is decoded (views are large). */
    private Map<String, NegotiationStatus> latestViews() {
        Map<String, byte[]> latest = new TreeMap<>();
        for (var record : TopicSnapshot.read(bootstrapServers, Topics.STATUS, new ByteArrayDeserializer(), READ_TIMEOUT)) {
            latest.put(record.key(), record.value());
        }
        var serde = AvroSerde.of(NegotiationStatus.class);
        Map<String, NegotiationStatus> views = new TreeMap<>();
        latest.forEach((negotiation, bytes) -> {
            if (bytes != null) {
                views.put(negotiation, serde.deserialize(Topics.STATUS, bytes));
            }
        });
        return views;
    }

    /** The views and changes the topology should have emitted, and what the log holds. */
    private record Recomputed(List<Development> logged, List<String> repeatedOnLog, Map<String, NegotiationStatus> views,
                              Map<String, List<StatusChange>> changes, List<String> unreadable) {
    }

    /**
     * Folds the committed log in log order per partition (a negotiation lives on one partition, so per negotiation too),
     * as the topology's {@code StatusFoldProcessor} does: a change for each fold step that changes something a reader sees.
     */
    private Recomputed recompute() {
        var serde = AvroSerde.of(Development.class);
        StatusFold fold = StatusFold.inMemory();
        List<Development> logged = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> repeatedOnLog = new ArrayList<>();
        Map<String, NegotiationStatus> views = new TreeMap<>();
        Map<String, List<StatusChange>> changes = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        for (var record : TopicSnapshot.read(bootstrapServers, Topics.DEVELOPMENTS, new ByteArrayDeserializer(), READ_TIMEOUT)) {
            if (record.value() == null) {
                continue;
            }
            Development d;
            try {
                d = serde.deserialize(Topics.DEVELOPMENTS, record.value());
            } catch (SerializationException e) {
                unreadable.add("unreadable development at " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage());
                continue;
            }
            logged.add(d);
            if (!seen.add(identity(d))) {
                repeatedOnLog.add(identity(d));
            }
            String negotiation = d.getNegotiationId();
            NegotiationStatus before = fold.view(negotiation);
            StatusFold.Outcome outcome = fold.apply(d);
            if (!outcome.viewChanged()) {
                continue;
            }
            views.put(negotiation, outcome.status());
            if (!outcome.changes().isEmpty()) {
                changes.computeIfAbsent(negotiation, id -> new ArrayList<>()).add(new StatusChange(negotiation, before.getVersion(),
                        outcome.status().getVersion(), outcome.changes(), List.of(d.getDevelopmentId()), d.getReportedAt(), false));
            }
        }
        return new Recomputed(logged, repeatedOnLog, views, changes, unreadable);
    }

    private int lostDevelopments(List<Development> logged, List<String> problems) {
        Set<String> onLog = new HashSet<>();
        logged.forEach(d -> onLog.add(identity(d)));
        int lost = 0;
        for (Development d : acknowledged) {
            if (!onLog.contains(identity(d))) {
                lost++;
                problems.add("lost development: " + identity(d) + " was acknowledged but is not on " + Topics.DEVELOPMENTS);
            }
        }
        return lost;
    }

    private record Tally(int missing, int repeated) {
    }

    /** Versions 1..v each once, contiguous, each the recomputed change. */
    private static Tally compareChanges(String negotiation, List<StatusChange> expected, List<StatusChange> emitted, List<String> problems) {
        Map<Long, Integer> times = new TreeMap<>();
        int repeated = 0;
        for (StatusChange change : emitted) {
            long version = change.getToVersion();
            if (times.merge(version, 1, Integer::sum) > 1) {
                repeated++;
                problems.add("duplicated change: " + negotiation + " v" + version + " emitted " + times.get(version) + " times");
                continue;
            }
            if (change.getFromVersion() != version - 1) {
                problems.add("change " + negotiation + " v" + version + " has from_version " + change.getFromVersion()
                        + " (expected " + (version - 1) + ")");
            }
            if (version < 1 || version > expected.size()) {
                problems.add("unexpected change: " + negotiation + " v" + version + ", but the recomputation ends at v" + expected.size()
                        + " (caused by " + change.getCausedBy() + ")");
            } else if (!json(change).equals(json(expected.get((int) version - 1)))) {
                problems.add("change " + negotiation + " v" + version + " differs from the recomputation:\n    emitted    " + json(change)
                        + "\n    recomputed " + json(expected.get((int) version - 1)));
            }
        }
        int missing = 0;
        for (long version = 1; version <= expected.size(); version++) {
            if (!times.containsKey(version)) {
                missing++;
                problems.add("missing change: " + negotiation + " v" + version + " (caused by "
                        + expected.get((int) version - 1).getCausedBy() + ") is not on " + Topics.STATUS_CHANGES);
            }
        }
        return new Tally(missing, repeated);
    }

    /** The latest emitted view equals the recomputed one, at the last change's version; 1 if it lacks something. */
    private static int compareView(String negotiation, NegotiationStatus expected, NegotiationStatus emitted, int lastVersion,
                                   List<String> problems) {
        if (expected == null) {
            problems.add("unexpected view: " + negotiation + " v" + emitted.getVersion() + " is on " + Topics.STATUS
                    + " but no committed development is about it");
            return 0;
        }
        if (emitted == null) {
            problems.add("missing view: " + negotiation + " (v" + expected.getVersion() + ", " + expected.getDevelopmentCount()
                    + " developments) is not on " + Topics.STATUS);
            return 1;
        }
        if (expected.getVersion() != lastVersion) {
            problems.add("recomputed view " + negotiation + " is at v" + expected.getVersion() + " but its last change is v" + lastVersion);
        }
        if (!json(emitted).equals(json(expected))) {
            problems.add("view " + negotiation + " differs from the recomputation: emitted v" + emitted.getVersion() + " with "
                    + emitted.getDevelopmentCount() + " developments, recomputed v" + expected.getVersion() + " with "
                    + expected.getDevelopmentCount() + "\n    emitted    " + json(emitted) + "\n    recomputed " + json(expected));
            return emitted.getDevelopmentCount() < expected.getDevelopmentCount() || emitted.getVersion() < expected.getVersion() ? 1 : 0;
        }
        return 0;
    }

    /** Each change once, none missing, none extra; a kept status at each negotiation's last version. */
    private static Tally compareSink(SinkContents sink, Set<String> versions, Map<String, List<StatusChange>> changes, List<String> problems) {
        Map<String, Integer> times = new HashMap<>();
        int repeated = 0;
        for (String change : sink.changes()) {
            if (times.merge(change, 1, Integer::sum) == 2) {
                repeated++;
                problems.add("sink " + sink.name() + " holds " + change.replaceFirst(":(\\d+)$", " v$1") + " more than once");
            }
            if (!versions.contains(change)) {
                problems.add("sink " + sink.name() + " holds " + change.replaceFirst(":(\\d+)$", " v$1") + ", which is no change of the recomputation");
            }
        }
        int missing = 0;
        for (String version : new java.util.TreeSet<>(versions)) {
            if (!times.containsKey(version)) {
                missing++;
                problems.add("sink " + sink.name() + " misses " + version.replaceFirst(":(\\d+)$", " v$1"));
            }
        }
        if (sink.statusVersions() != null) {
            changes.forEach((negotiation, list) -> {
                Long kept = sink.statusVersions().get(negotiation);
                if (kept == null || kept != list.size()) {
                    problems.add("sink " + sink.name() + " keeps " + negotiation + " at " + (kept == null ? "no version" : "v" + kept)
                            + " (expected v" + list.size() + ")");
                }
            });
        }
        return new Tally(missing, repeated);
    }

    private static Set<String> expectedVersions(Map<String, List<StatusChange>> changes) {
        Set<String> versions = new HashSet<>();
        changes.forEach((negotiation, list) -> list.forEach(change -> versions.add(negotiation + ":" + change.getToVersion())));
        return versions;
    }

    /** A development's identity on the log: negotiation, id and revision. */
    static String identity(Development d) {
        return d.getNegotiationId() + "/" + d.getDevelopmentId() + " r" + d.getRevision();
    }

    private static String json(org.apache.avro.specific.SpecificRecord record) {
        return AvroJson.toJsonString(record);
    }
}
