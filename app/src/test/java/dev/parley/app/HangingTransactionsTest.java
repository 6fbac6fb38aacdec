package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.HangingTransactions.Action;
import dev.parley.app.HangingTransactions.CannotTell;
import dev.parley.app.HangingTransactions.Coordinator;
import dev.parley.app.HangingTransactions.Forgot;
import dev.parley.app.HangingTransactions.Hanging;
import dev.parley.app.HangingTransactions.OpenTransaction;
import dev.parley.app.HangingTransactions.Opened;
import dev.parley.app.HangingTransactions.Tracks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {

    private static final Instant NOW = Instant.parse("2025-12-02T18:00:00Z");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);
    private static final TopicPartition CHANGES_1 = new TopicPartition("parley.status-changes", 1);
    private static final TopicPartition STATUS_0 = new TopicPartition("parley.status", 0);
    private static final String APPLICATION_ID = "parley-status";
    /** The partition of {@code __consumer_offsets} with the topology's group, of 50. */
    private static final TopicPartition GROUP_OFFSETS = new TopicPartition("__consumer_offsets",
            HangingTransactions.offsetsPartition(APPLICATION_ID, 50));

    // ---- which open transactions are hanging ----

    @Test
    void shouldFindATransactionItsCoordinatorHasEndedForThatPartition() {
        // given a transaction open on a partition for longer than the max timeout, whose coordinator tracks other partitions
        OpenTransaction open = anOpenTransaction().on(CHANGES_1).lastWritten(NOW.minus(Duration.ofMinutes(16))).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new Tracks("parley-status-1234-1", Set.of(STATUS_0)));

        // when
        List<Hanging> hanging = HangingTransactions.hanging(List.of(open), coordinators, Map.of(), MAX_TIMEOUT, NOW);

        // then
        assertThat(hanging).singleElement().satisfies(h -> {
            assertThat(h.transaction()).isEqualTo(open);
            assertThat(h.transactionalId()).isEqualTo("parley-status-1234-1");
            assertThat(h.why()).contains("will write no marker there");
        });
    }

    @Test
    void shouldNotFindATransactionWhoseCoordinatorWillStillWriteItsMarker() {
        // given a long transaction whose coordinator still lists the partition (ongoing, or its markers being written)
        OpenTransaction open = anOpenTransaction().on(CHANGES_1).lastWritten(NOW.minus(Duration.ofHours(1))).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new Tracks("parley-status-1234-1", Set.of(CHANGES_1, STATUS_0)));

        // when / then
        assertThat(HangingTransactions.hanging(List.of(open), coordinators, Map.of(), MAX_TIMEOUT, NOW)).isEmpty();
    }

    @Test
    void shouldNotFindATransactionWrittenToWithinTheMaxTimeout() {
        // given a transaction the coordinator no longer tracks, but whose producer wrote 14 minutes ago
        OpenTransaction open = anOpenTransaction().on(CHANGES_1).lastWritten(NOW.minus(Duration.ofMinutes(14))).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new Tracks("parley-status-1234-1", Set.of()));

        // when / then
        assertThat(HangingTransactions.hanging(List.of(open), coordinators, Map.of(), MAX_TIMEOUT, NOW)).isEmpty();
    }

    @Test
    void shouldFindATransactionNoCoordinatorKnowsOnlyOnceParleyHasSeenItOpenForLongerThanTheMaxTimeout() {
        // given a transaction whose records are old (their time is when a development was reported) and whose producer no
        // coordinator lists
        OpenTransaction open = anOpenTransaction().on(CHANGES_1).lastWritten(Instant.parse("2025-11-30T09:00:00Z")).build();

        // when Parley first saw it open 10 minutes ago, then 16 minutes ago
        List<Hanging> seenFor10 = HangingTransactions.hanging(List.of(open), Map.of(), Map.of(open.opened(), NOW.minus(Duration.ofMinutes(10))),
                MAX_TIMEOUT, NOW);
        List<Hanging> seenFor16 = HangingTransactions.hanging(List.of(open), Map.of(7L, new Forgot()),
                Map.of(open.opened(), NOW.minus(Duration.ofMinutes(16))), MAX_TIMEOUT, NOW);

        // then it is hanging only the second time: a coordinator being moved lists nothing for a moment
        assertThat(seenFor10).isEmpty();
        assertThat(seenFor16).singleElement().satisfies(h -> {
            assertThat(h.transactionalId()).isNull();
            assertThat(h.seenOpenFor()).isEqualTo(Duration.ofMinutes(16));
            assertThat(h.why()).contains("no coordinator knows its producer");
        });
    }

    @Test
    void shouldNeverFindATransactionWhoseCoordinatorCannotTell() {
        // given an old transaction, long seen open, whose coordinator did not answer
        OpenTransaction open = anOpenTransaction().on(CHANGES_1).lastWritten(NOW.minus(Duration.ofHours(2))).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new CannotTell("COORDINATOR_LOAD_IN_PROGRESS"));

        // when / then
        assertThat(HangingTransactions.hanging(List.of(open), coordinators, Map.of(open.opened(), NOW.minus(Duration.ofHours(2))),
                MAX_TIMEOUT, NOW)).isEmpty();
    }

    // ---- what Parley does with one ----

    @Test
    void shouldAbortOnTheGroupsOffsetsPartitionATransactionOfTheTopologysOwnProducer() {
        // given a transaction hanging where the topology's offsets are, whose producer its coordinator lists under one of
        // the topology's transactional ids, tracking other partitions
        OpenTransaction open = anOpenTransaction().on(GROUP_OFFSETS).lastWritten(NOW.minus(Duration.ofMinutes(16))).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new Tracks("parley-status-5f0c1a2e-8d4b-4c1e-9a57-1b2c3d4e5f60-1",
                Set.of(CHANGES_1)));

        // when
        List<Hanging> hanging = HangingTransactions.hanging(List.of(open), coordinators, Map.of(), MAX_TIMEOUT, NOW);

        // then
        assertThat(hanging).singleElement().satisfies(h ->
                assertThat(HangingTransactions.action(h, APPLICATION_ID, GROUP_OFFSETS)).isEqualTo(Action.ABORT));
    }

    @Test
    void shouldOnlyReportOnTheGroupsOffsetsPartitionATransactionOfAnotherApplicationsProducer() {
        // given a transaction hanging where the topology's offsets are, of a producer another application's transactional
        // id names (one that merely starts like the application id too)
        OpenTransaction orders = anOpenTransaction().on(GROUP_OFFSETS).by(7, (short) 3).build();
        OpenTransaction lookalike = anOpenTransaction().on(GROUP_OFFSETS).by(8, (short) 0).build();
        Map<Long, Coordinator> coordinators = Map.of(7L, new Tracks("orders-processor-1", Set.of()),
                8L, new Tracks("parley-statusboard-1", Set.of()));

        // when
        List<Hanging> hanging = HangingTransactions.hanging(List.of(orders, lookalike), coordinators, Map.of(), MAX_TIMEOUT, NOW);

        // then both are hanging, and neither is Parley's to abort
        assertThat(hanging).hasSize(2).allSatisfy(h ->
                assertThat(HangingTransactions.action(h, APPLICATION_ID, GROUP_OFFSETS)).isEqualTo(Action.REPORT));
    }

    @Test
    void shouldOnlyReportOnTheGroupsOffsetsPartitionATransactionWhoseProducerNoCoordinatorKnows() {
        // given a transaction hanging where the topology's offsets are, long seen open, whose producer no coordinator lists
        OpenTransaction open = anOpenTransaction().on(GROUP_OFFSETS).build();

        // when
        List<Hanging> hanging = HangingTransactions.hanging(List.of(open), Map.of(), Map.of(open.opened(), NOW.minus(Duration.ofHours(1))),
                MAX_TIMEOUT, NOW);

        // then it is hanging, but it cannot be attributed to the topology
        assertThat(hanging).singleElement().satisfies(h -> {
            assertThat(h.transactionalId()).isNull();
            assertThat(HangingTransactions.action(h, APPLICATION_ID, GROUP_OFFSETS)).isEqualTo(Action.REPORT);
        });
    }

    @Test
    void shouldAbortOnParleysTopicsWhoeverTheProducerIs() {
        assertThat(HangingTransactions.action(hanging(anOpenTransaction().on(CHANGES_1).build(), null), APPLICATION_ID, GROUP_OFFSETS))
                .isEqualTo(Action.ABORT);
        assertThat(HangingTransactions.action(hanging(anOpenTransaction().on(STATUS_0).build(), "orders-processor-1"), APPLICATION_ID,
                GROUP_OFFSETS)).isEqualTo(Action.ABORT);
    }

    @Test
    void shouldLeaveOtherPartitionsOfTheConsumerOffsetsEvenOfTheTopologysProducers() {
        // given the topology's producer hanging on a partition of __consumer_offsets that does not hold its group
        TopicPartition other = new TopicPartition("__consumer_offsets", (GROUP_OFFSETS.partition() + 1) % 50);
        Hanging h = hanging(anOpenTransaction().on(other).build(), "parley-status-1234-1");

        // when / then: and nothing on __consumer_offsets when its group's partition is unknown
        assertThat(HangingTransactions.action(h, APPLICATION_ID, GROUP_OFFSETS)).isEqualTo(Action.LEAVE);
        assertThat(HangingTransactions.action(hanging(anOpenTransaction().on(GROUP_OFFSETS).build(), "parley-status-1234-1"),
                APPLICATION_ID, null)).isEqualTo(Action.LEAVE);
        assertThat(HangingTransactions.action(hanging(anOpenTransaction().on(new TopicPartition("orders", 0)).build(),
                "parley-status-1234-1"), APPLICATION_ID, GROUP_OFFSETS)).isEqualTo(Action.LEAVE);
    }

    // ---- what Parley remembers between looks, and the look before aborting ----

    @Test
    void shouldRememberWhenATransactionWasFirstSeenWhileItStaysOpen() {
        // given one transaction seen open before and one new
        OpenTransaction old = anOpenTransaction().on(CHANGES_1).from(120).build();
        OpenTransaction young = anOpenTransaction().on(STATUS_0).from(40).build();
        OpenTransaction ended = anOpenTransaction().on(STATUS_0).from(12).build();
        Instant before = NOW.minus(Duration.ofMinutes(3));

        // when
        Map<Opened, Instant> seen = HangingTransactions.seenSince(Map.of(old.opened(), before, ended.opened(), before),
                List.of(old, young), NOW);

        // then
        assertThat(seen).containsOnly(Map.entry(old.opened(), before), Map.entry(young.opened(), NOW));
    }

    @Test
    void shouldAbortOnlyWhatIsStillOpenFromTheSameOffsetByTheSameProducerAndEpoch() {
        // given three transactions found hanging
        OpenTransaction unchanged = anOpenTransaction().on(CHANGES_1).by(7, (short) 3).from(120).build();
        OpenTransaction endedMeanwhile = anOpenTransaction().on(STATUS_0).by(7, (short) 3).from(40).build();
        OpenTransaction newEpoch = anOpenTransaction().on(new TopicPartition("parley.status", 2)).by(9, (short) 1).from(5).build();
        List<Hanging> found = List.of(hanging(unchanged), hanging(endedMeanwhile), hanging(newEpoch));

        // when looked at again: the second ended and the same producer opened another from a later offset; the third's
        // producer wrote again with a new epoch
        List<Hanging> toAbort = HangingTransactions.stillOpen(found, List.of(unchanged,
                anOpenTransaction().on(STATUS_0).by(7, (short) 3).from(41).build(),
                anOpenTransaction().on(new TopicPartition("parley.status", 2)).by(9, (short) 2).from(5).build()));

        // then
        assertThat(toAbort).extracting(Hanging::transaction).containsExactly(unchanged);
    }

    // ---- where and how often ----

    @Test
    void shouldLookEveryThirtySecondsOrEveryHalfOfAShorterMaxTimeout() {
        assertThat(HangingTransactions.interval(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(30));
        assertThat(HangingTransactions.interval(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(10));
        assertThat(HangingTransactions.interval(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldLookOnParleysTopicsAndTheTopologysInternalOnesOnly() {
        assertThat(HangingTransactions.isParleys("parley.developments", "parley-status")).isTrue();
        assertThat(HangingTransactions.isParleys("parley.dead-letters", "parley-status")).isTrue();
        assertThat(HangingTransactions.isParleys("parley-status-status-by-negotiation-store-changelog", "parley-status")).isTrue();
        assertThat(HangingTransactions.isParleys("parley-status-fold-status-repartition", "parley-status")).isTrue();
        assertThat(HangingTransactions.isParleys("parley-statusboard-changelog", "parley-status")).isFalse();
        assertThat(HangingTransactions.isParleys("orders", "parley-status")).isFalse();
        assertThat(HangingTransactions.isParleys("__consumer_offsets", "parley-status")).isFalse();
    }

    @Test
    void shouldTellTheTopologysProducersByTheirTransactionalIds() {
        assertThat(HangingTransactions.isTopologys("parley-status-5f0c1a2e-8d4b-4c1e-9a57-1b2c3d4e5f60-1", "parley-status")).isTrue();
        assertThat(HangingTransactions.isTopologys("parley-statusboard-1", "parley-status")).isFalse();
        assertThat(HangingTransactions.isTopologys(null, "parley-status")).isFalse();
    }

    @Test
    void shouldPlaceAGroupsOffsetsAsKafkasGroupCoordinatorDoes() {
        // the absolute value of the name's hash, modulo the partitions; Integer.MIN_VALUE has none, and Kafka takes 0
        assertThat(HangingTransactions.offsetsPartition("parley-status", 50)).isEqualTo(Math.abs("parley-status".hashCode()) % 50);
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(HangingTransactions.offsetsPartition("polygenelubricants", 50)).isZero();
    }

    // ---- test data ----

    private static Hanging hanging(OpenTransaction transaction) {
        return hanging(transaction, "parley-status-1234-1");
    }

    private static Hanging hanging(OpenTransaction transaction, String transactionalId) {
        return new Hanging(transaction, transactionalId, Duration.ZERO, "test");
    }

    private static OpenTransactionBuilder anOpenTransaction() {
        return new OpenTransactionBuilder();
    }

    private static final class OpenTransactionBuilder {
        private TopicPartition partition = CHANGES_1;
        private long producerId = 7;
        private short epoch = 3;
        private long startOffset = 100;
        private Instant lastWritten = NOW.minus(Duration.ofHours(1));

        OpenTransactionBuilder on(TopicPartition partition) {
            this.partition = partition;
            return this;
        }

        OpenTransactionBuilder by(long producerId, short epoch) {
            this.producerId = producerId;
            this.epoch = epoch;
            return this;
        }

        OpenTransactionBuilder from(long startOffset) {
            this.startOffset = startOffset;
            return this;
        }

        OpenTransactionBuilder lastWritten(Instant lastWritten) {
            this.lastWritten = lastWritten;
            return this;
        }

        OpenTransaction build() {
            return new OpenTransaction(new Opened(partition, producerId, epoch, startOffset), 2, lastWritten.toEpochMilli());
        }
    }
}
