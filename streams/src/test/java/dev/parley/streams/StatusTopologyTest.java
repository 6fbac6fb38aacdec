package dev.parley.streams;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.Change;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Occurrence;
import dev.parley.schemas.Phase;
import dev.parley.schemas.Standing;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTopologyTest {

    private static final String NEGOTIATION = "ukraine-peace-2025";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Development> developments;
    private TestOutputTopic<String, NegotiationStatus> statuses;
    private TestOutputTopic<String, StatusChange> changes;

    @BeforeEach
    void startDriver() {
        var topology = StatusTopology.build(AvroSerde.of(Development.class), AvroSerde.of(NegotiationStatus.class),
                AvroSerde.of(StatusChange.class));
        Properties props = new StreamsSettings("unused:9092", "parley-test", stateDir, java.util.Map.of()).toKafkaProperties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE); // the driver commits per record anyway
        driver = new TopologyTestDriver(topology, props);
        developments = driver.createInputTopic(Topics.DEVELOPMENTS, Serdes.String().serializer(), AvroSerde.of(Development.class));
        statuses = driver.createOutputTopic(Topics.STATUS, Serdes.String().deserializer(), AvroSerde.of(NegotiationStatus.class));
        changes = driver.createOutputTopic(Topics.STATUS_CHANGES, Serdes.String().deserializer(), AvroSerde.of(StatusChange.class));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldNameEveryOperatorStoreAndTopic() {
        String description = StatusTopology.build(AvroSerde.of(Development.class), AvroSerde.of(NegotiationStatus.class),
                AvroSerde.of(StatusChange.class)).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "-STATE-STORE-", "-repartition")
                .contains("developments-source", "fold-status", "status-sink", "status-changes-sink", StatusTopology.STATUS_STORE);
    }

    @Test
    void shouldFoldTheSeedArticleIntoAStatusAndItsChanges() {
        // given the article's developments, in file order
        SampleDevelopments.all().forEach(d -> developments.pipeInput(d.getNegotiationId(), d, d.getReportedAt()));

        // then the latest status says where the talks stand
        NegotiationStatus status = statuses.readKeyValuesToMap().get(NEGOTIATION);
        assertThat(status.getDevelopmentCount()).isEqualTo(SampleDevelopments.all().size());
        assertThat(status.getPhase().getPhase()).isEqualTo(Phase.DIRECT_TALKS);
        assertThat(status.getDecision().getStatus()).isEqualTo(DecisionStatus.NONE_ANNOUNCED);
        assertThat(status.getMeetings()).extracting(m -> m.getPlace() + " " + m.getOccurrence())
                .containsExactly("Moscou OCCURRED", "Floride SCHEDULED");
        assertThat(status.getClaims()).singleElement().satisfies(claim -> {
            assertThat(claim.getStanding()).isEqualTo(Standing.CONTESTED);
            assertThat(claim.getStances()).extracting(s -> s.getParty() + ":" + s.getStance())
                    .containsExactlyInAnyOrder("RU:ASSERTS", "independent:PARTIALLY_CONFIRMS", "UA:CONTESTS");
        });
        assertThat(status.getResolutions()).singleElement().satisfies(r -> assertThat(r.getBinding()).isFalse());
        assertThat(status.getStickingPoints()).extracting(p -> p.getIssue()).contains("territory:donetsk");

        // and the changes tell the story version by version
        var emitted = changes.readValuesToList();
        assertThat(emitted).isNotEmpty();
        assertThat(emitted.get(0).getFromVersion()).isZero();
        assertThat(emitted).extracting(StatusChange::getToVersion).isSorted().doesNotHaveDuplicates();
        assertThat(emitted.get(emitted.size() - 1).getToVersion()).isEqualTo(status.getVersion());
        assertThat(emitted).flatExtracting(StatusChange::getChanges).extracting(Change::getKind)
                .contains(ChangeKind.PHASE_CHANGED, ChangeKind.MEETING_HELD, ChangeKind.MEETING_SCHEDULED,
                        ChangeKind.CLAIM_ADDED, ChangeKind.CLAIM_CONTESTED, ChangeKind.RESOLUTION_ADOPTED,
                        ChangeKind.DECISION_STATED);
    }

    @Test
    void shouldEmitNothingForADuplicate() {
        // given
        Development meeting = aDevelopment().id("moscow").meeting().in("Moscou").build();
        developments.pipeInput(NEGOTIATION, meeting);
        changes.readValuesToList();
        statuses.readValuesToList();

        // when the same development arrives again
        developments.pipeInput(NEGOTIATION, meeting);

        // then
        assertThat(changes.isEmpty()).isTrue();
        assertThat(statuses.isEmpty()).isTrue();
    }

    @Test
    void shouldRemoveARetractedMeetingAndSaySo() {
        // given
        developments.pipeInput(NEGOTIATION, aDevelopment().id("florida").meeting().scheduled().in("Floride").build());
        changes.readValuesToList();

        // when
        developments.pipeInput(NEGOTIATION, aDevelopment().id("florida-retracted").retracts("florida")
                .reportedAt("2025-12-03T08:00:00Z").build());

        // then
        StatusChange change = changes.readValue();
        assertThat(change.getChanges()).extracting(Change::getKind)
                .containsExactlyInAnyOrder(ChangeKind.ITEM_REMOVED, ChangeKind.CORRECTION_APPLIED);
        assertThat(statuses.readKeyValuesToMap().get(NEGOTIATION).getMeetings()).isEmpty();
    }

    @Test
    void shouldMarkAScheduledMeetingHeldWhenALaterDevelopmentSaysSo() {
        developments.pipeInput(NEGOTIATION, aDevelopment().id("florida-planned").subject("meeting:florida").meeting().scheduled()
                .in("Floride").on("2025-12-06").reportedAt("2025-12-03T08:00:00Z").build());
        developments.pipeInput(NEGOTIATION, aDevelopment().id("florida-held").subject("meeting:florida").meeting()
                .occurrence(Occurrence.OCCURRED).in("Floride").on("2025-12-06").reportedAt("2025-12-06T20:00:00Z").build());

        var kinds = changes.readValuesToList().stream().flatMap(c -> c.getChanges().stream()).map(Change::getKind).toList();
        assertThat(kinds).containsExactly(ChangeKind.MEETING_SCHEDULED, ChangeKind.MEETING_HELD);
        assertThat(statuses.readKeyValuesToMap().get(NEGOTIATION).getMeetings()).singleElement().satisfies(m -> {
            assertThat(m.getOccurrence()).isEqualTo(Occurrence.OCCURRED);
            assertThat(m.getDevelopmentIds()).containsExactly("florida-planned", "florida-held");
        });
    }
}
