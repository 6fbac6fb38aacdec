package dev.parley.streams;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Occurrence;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.V1Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTopologyTest {

    private static final String NEGOTIATION = "ukraine-peace-2025";

    @TempDir
    Path stateDir;

    private TopologyDriver topology;

    @BeforeEach
    void start() {
        topology = new TopologyDriver(stateDir);
    }

    @AfterEach
    void close() {
        topology.close();
    }

    @Test
    void shouldNameEveryOperatorStoreAndTopic() {
        String description = StatusTopology.build(AvroSerde.of(Development.class), AvroSerde.of(NegotiationStatus.class),
                AvroSerde.of(StatusChange.class)).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "-STATE-STORE-", "-repartition")
                .contains("developments-source", "fold-status", "status-sink", "status-changes-sink", StatusTopology.VIEWS_STORE,
                        StatusTopology.ITEMS_STORE, StatusTopology.RANKS_STORE, StatusTopology.INDEX_STORE);
    }

    @Test
    void shouldEmitOneChangePerVersionInOrder() {
        topology.publish(SampleDevelopments.all());

        NegotiationStatus status = topology.statuses().get(NEGOTIATION);
        List<StatusChange> changes = topology.changes();
        assertThat(changes.get(0).getFromVersion()).isZero();
        assertThat(changes).extracting(StatusChange::getToVersion)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, status.getVersion()).boxed().toList());
        assertThat(changes).allSatisfy(change -> {
            assertThat(change.getToVersion()).isEqualTo(change.getFromVersion() + 1);
            assertThat(change.getChanges()).isNotEmpty();
            assertThat(change.getCausedBy()).hasSize(1);
        });
    }

    @Test
    void shouldEmitNothingForADuplicate() {
        Development meeting = aDevelopment().id("moscow").meeting().in("Moscou").build();
        topology.publish(meeting).changes();
        topology.statuses();

        topology.publish(meeting);

        assertThat(topology.changes()).isEmpty();
        assertThat(topology.noStatus()).isTrue();
    }

    @Test
    void shouldRemoveARetractedMeetingAndSaySo() {
        topology.publish(aDevelopment().id("florida").meeting().scheduled().in("Floride").build()).changes();

        topology.publish(aDevelopment().id("florida-retracted").retracts("florida").reportedAt("2025-12-03T08:00:00Z").build());

        assertThat(topology.changes()).singleElement().satisfies(change -> assertThat(change.getChanges())
                .extracting(Change::getKind).containsExactly(ChangeKind.ITEM_REMOVED, ChangeKind.CORRECTION_APPLIED));
        assertThat(topology.statuses().get(NEGOTIATION).getMeetings()).isEmpty();
    }

    @Test
    void shouldMarkAScheduledMeetingHeldWhenALaterDevelopmentSaysSo() {
        topology.publish(aDevelopment().id("florida-planned").subject("meeting:florida").meeting().scheduled()
                .in("Floride").on("2025-12-06").reportedAt("2025-12-03T08:00:00Z").build());
        topology.publish(aDevelopment().id("florida-held").subject("meeting:florida").meeting()
                .occurrence(Occurrence.OCCURRED).in("Floride").on("2025-12-06").reportedAt("2025-12-06T20:00:00Z").build());

        assertThat(topology.changes()).flatExtracting(StatusChange::getChanges).extracting(Change::getKind)
                .containsExactly(ChangeKind.MEETING_SCHEDULED, ChangeKind.MEETING_HELD);
        assertThat(topology.statuses().get(NEGOTIATION).getMeetings()).singleElement().satisfies(m -> {
            assertThat(m.getOccurrence()).isEqualTo(Occurrence.OCCURRED);
            assertThat(m.getDevelopmentIds()).containsExactly("florida-planned", "florida-held");
        });
    }

    @Test
    void shouldFoldRecordsWrittenWithDevelopmentVersionOneLikeTheCurrentOnes() {
        // given the seed article as Development v1 wrote it (frozen fixtures), and as the current code writes it
        V1Fixtures.records().forEach(bytes -> topology.publishBytes(NEGOTIATION, bytes));
        NegotiationStatus fromV1 = topology.statuses().get(NEGOTIATION);

        // then the view is the one folded from the current records
        assertThat(fromV1).isEqualTo(NegotiationStatus.newBuilder(StatusFold.fold(NEGOTIATION, SampleDevelopments.all()))
                .setVersion(fromV1.getVersion()).build());
        assertThat(topology.deadLetters()).isEmpty();
    }

    @Test
    void shouldSendUnreadableAndUnprocessableRecordsToTheDeadLetterTopicAndCarryOn() {
        // given garbage bytes, then a development under the wrong key, then a good development
        topology.publishBytes(NEGOTIATION, "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Development misfiled = aDevelopment().id("misfiled").build();
        topology.publishBytes("another-negotiation", AvroSerde.of(Development.class).serialize("t", misfiled));
        topology.publish(aDevelopment().id("moscow").meeting().in("Moscou").build());

        // then both bad records are dead letters that say why, and the good one still updated the view
        var deadLetters = topology.deadLetters();
        assertThat(deadLetters).hasSize(2);
        assertThat(header(deadLetters.get(0), "__streams.errors.exception")).contains("SerializationException");
        assertThat(header(deadLetters.get(0), "__streams.errors.message")).contains("dev.parley.schemas.Development");
        assertThat(new String(deadLetters.get(0).value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(header(deadLetters.get(1), "__streams.errors.message"))
                .contains("record key \"another-negotiation\" is not the development's negotiation_id \"ukraine-peace-2025\"");
        assertThat(topology.statuses().get(NEGOTIATION).getMeetings()).extracting(m -> m.getPlace()).containsExactly("Moscou");
    }

    @Test
    void shouldSendARecordWrittenWithAnUnknownFutureSchemaToTheDeadLetterTopic() {
        // given a development from a producer on a schema version this topology does not know yet
        byte[] future = AvroSerde.of(Development.class).serialize("t", aDevelopment().id("from-the-future").build());
        future[2] ^= 0x7F; // another fingerprint in the single-object header

        topology.publishBytes(NEGOTIATION, future);
        topology.publish(aDevelopment().id("moscow").meeting().in("Moscou").build());

        assertThat(topology.deadLetters()).singleElement().satisfies(letter ->
                assertThat(header(letter, "__streams.errors.message")).contains("dev.parley.schemas.Development")
                        .containsIgnoringCase("schema"));
        assertThat(topology.statuses().get(NEGOTIATION).getMeetings()).hasSize(1);
    }

    @Test
    void shouldSendADevelopmentOverTheLimitsToTheDeadLetterTopicNamingItAndFoldTheRestOfItsNegotiation() {
        // given a development over 64 KiB, and a 26th claimant on a claim of 25, among good developments
        topology.publish(aDevelopment().id("moscow").meeting().in("Moscou").build());
        topology.publish(aDevelopment().id("huge").meeting().in("Genève").summary("x".repeat(70_000)).build());
        for (int i = 0; i < FoldLimits.MAX_CLAIMANTS + 1; i++) {
            topology.publish(aDevelopment().id("claim-" + i).type(dev.parley.schemas.DevelopmentType.MILITARY_CLAIM)
                    .subject("claim:pokrovsk").claim("prise de Pokrovsk", "claimant-" + i, dev.parley.schemas.Stance.ASSERTS).build());
        }
        topology.publish(aDevelopment().id("florida").subject("meeting:florida").meeting().scheduled().in("Floride").build());

        // then both are dead letters naming the negotiation, the development and the limit
        var deadLetters = topology.deadLetters();
        assertThat(deadLetters).extracting(letter -> header(letter, "__streams.errors.message")).satisfiesExactly(
                huge -> assertThat(huge).contains("development \"huge\" of negotiation \"ukraine-peace-2025\"", "over the limit of 65536"),
                claimant -> assertThat(claimant).contains("development \"claim-25\"", "has 25 claimants, the limit"));
        // and the negotiation folded on without them
        NegotiationStatus view = topology.statuses().get(NEGOTIATION);
        assertThat(view.getMeetings()).extracting(m -> m.getPlace()).containsExactlyInAnyOrder("Moscou", "Floride");
        assertThat(view.getClaims()).singleElement().satisfies(claim -> assertThat(claim.getStances()).hasSize(FoldLimits.MAX_CLAIMANTS));
        assertThat(view.getDevelopmentCount()).isEqualTo(2 + FoldLimits.MAX_CLAIMANTS);
    }

    private static String header(org.apache.kafka.streams.test.TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "(no header " + name + " in " + record.headers() + ")"
                : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldAgreeWithTheReferenceFoldOnRealStoresForShuffledHistoriesWithCorrections() {
        for (int seed = 0; seed < 20; seed++) {
            // given a generated history with corrections and retractions, in a random order
            var generator = new RandomDevelopments(1000 + seed, 10);
            List<Development> history = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                history.add(generator.next());
                if (generator.chance(6)) {
                    history.add(generator.correction(history.get(generator.random().nextInt(history.size()))));
                } else if (generator.chance(8)) {
                    history.add(generator.retraction(history.get(generator.random().nextInt(history.size()))));
                }
            }
            List<Development> arrivals = new ArrayList<>(history);
            Collections.shuffle(arrivals, generator.random());

            // when each case runs on a fresh topology (its own negotiation id keeps the stores apart)
            String negotiation = "case-" + seed;
            List<Development> renamed = arrivals.stream()
                    .map(d -> Development.newBuilder(d).setNegotiationId(negotiation).build()).toList();
            topology.publish(renamed);

            // then the view on RocksDB-backed stores equals the view folded from scratch
            NegotiationStatus view = topology.statuses().get(negotiation);
            NegotiationStatus reference = StatusFold.fold(negotiation, renamed);
            view.setVersion(reference.getVersion());
            assertThat(view).as("seed %d", seed).isEqualTo(reference);
        }
    }
}
