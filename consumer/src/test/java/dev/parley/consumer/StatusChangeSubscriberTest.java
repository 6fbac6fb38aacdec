package dev.parley.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.consumer.SubscriptionStatus.State;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusChangeSubscriberTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.STATUS_CHANGES, 0);
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);

    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    private int commitsToRefuse;
    private final MockConsumer<String, StatusChange> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (commitsToRefuse > 0) {
                commitsToRefuse--;
                // as after a rebalance: the partition is offered again from the last commit
                seek(PARTITION, committedOffset());
                throw new CommitFailedException();
            }
            super.commitSync(offsets);
            committed.putAll(offsets);
        }
    };
    private final List<String> parked = new CopyOnWriteArrayList<>();
    private final ParkingLot parkingLot = (record, subscription, error, attempts) ->
            parked.add(subscription + " v" + record.value().getToVersion() + " after " + attempts + ": " + error.getMessage());

    @Test
    void shouldRetryAFailingSinkAndDeliverEachChangeOnce() throws Exception {
        // given a sink that fails twice on version 2, then works
        var sink = new ScriptedSink().failing(2, 2);

        // when three changes are delivered
        var status = run(new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), change(1), change(2), change(3));

        // then each arrived once, in order, nothing was parked, and all three offsets are committed
        assertThat(sink.delivered).containsExactly(1L, 2L, 3L);
        assertThat(sink.attempts).containsExactly(1L, 2L, 2L, 2L, 3L);
        assertThat(parked).isEmpty();
        assertThat(status.delivered()).isEqualTo(3);
        assertThat(committedOffset()).isEqualTo(3);
    }

    @Test
    void shouldTakeWhatTheSinkDeliveredAtOnceAndOfferTheRestOneAtATime() throws Exception {
        // given a sink that takes a poll's changes at once, stopping at a failure, and fails once on version 2
        var sink = new ScriptedSink() {
            @Override
            public List<Delivery> acceptAll(List<StatusChange> changes) {
                List<Delivery> outcomes = new ArrayList<>(java.util.Collections.nCopies(changes.size(), Delivery.LEFT_OUT));
                for (int i = 0; i < changes.size(); i++) {
                    try {
                        outcomes.set(i, Delivery.of(accept(changes.get(i))));
                    } catch (Exception e) {
                        break;
                    }
                }
                return outcomes;
            }
        }.failing(2, 1);

        // when three changes are delivered
        var status = run(new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), change(1), change(2), change(3));

        // then version 1 went at once, 2 and 3 one at a time after it, each delivered once, all three offsets committed
        assertThat(sink.attempts).containsExactly(1L, 2L, 2L, 3L);
        assertThat(sink.delivered).containsExactly(1L, 2L, 3L);
        assertThat(status.delivered()).isEqualTo(3);
        assertThat(parked).isEmpty();
        assertThat(committedOffset()).isEqualTo(3);
    }

    @Test
    void shouldParkAChangeAfterTheLastAttemptAndGoOn() throws Exception {
        // given a sink that always fails on version 2
        var sink = new ScriptedSink().failing(2, Integer.MAX_VALUE);

        // when three changes are delivered
        var status = run(new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), change(1), change(2), change(3));

        // then version 2 is parked with the error after three attempts, and version 3 still arrives
        assertThat(sink.delivered).containsExactly(1L, 3L);
        assertThat(parked).containsExactly("scripted v2 after 3: target down");
        assertThat(status.parked()).isEqualTo(1);
        assertThat(status.lastError()).isEqualTo("target down");
        assertThat(committedOffset()).isEqualTo(3);
    }

    @Test
    void shouldParkARejectedChangeWithoutRetrying() throws Exception {
        // given a sink whose target refuses version 1 for good
        var sink = new ScriptedSink().rejecting(1);

        // when two changes are delivered
        run(new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), change(1), change(2));

        // then version 1 was tried once and parked
        assertThat(sink.attempts).containsExactly(1L, 2L);
        assertThat(parked).containsExactly("scripted v1 after 1: bad request");
    }

    @Test
    void shouldDisableTheSubscriptionWhenTheTargetIsGone() throws Exception {
        // given a sink whose target says it is gone on version 2
        var sink = new ScriptedSink().gone(2);

        // when three changes are offered
        var status = run(new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), change(1), change(2), change(3));

        // then delivery stops there, disabled, with version 2 not committed so it is offered again when turned back on
        assertThat(sink.delivered).containsExactly(1L);
        assertThat(status.state()).isEqualTo(State.DISABLED);
        assertThat(status.lastError()).contains("410");
        assertThat(committedOffset()).isEqualTo(1);
    }

    @Test
    void shouldSkipChangesTheSubscriptionDoesNotWant() throws Exception {
        // given a subscription to held meetings of one negotiation
        var sink = new ScriptedSink();
        var filter = ChangeFilter.of(List.of("ukraine-peace-2025"), List.of("meeting_held"));

        // when changes of other kinds and negotiations come by
        var status = run(new Subscription("meetings", sink, filter, QUICK), change(1),
                change("ukraine-peace-2025", 2, ChangeKind.POSITION_CHANGED), change("gaza-2025", 1, ChangeKind.MEETING_HELD), change(3));

        // then only the wanted ones are delivered, and every one is committed
        assertThat(sink.delivered).containsExactly(1L, 3L);
        assertThat(status.skipped()).isEqualTo(2);
        assertThat(committedOffset()).isEqualTo(4);
    }

    @Test
    void shouldGoOnDeliveringWhenItsGroupRebalancedBeforeItCouldCommit() throws Exception {
        // given a consumer whose first commit is refused, as when its session expired while Kafka was paused
        commitsToRefuse = 1;
        var sink = new ScriptedSink();
        StatusChange[] changes = {change(1), change(2)};
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            addRecords(changes);
        });
        consumer.schedulePollTask(() -> addRecords(changes)); // the group offers them again from the last commit
        var subscriber = new StatusChangeSubscriber(consumer, new Subscription("scripted", sink, ChangeFilter.ALL, QUICK), parkingLot,
                Clock.fixed(Instant.parse("2025-12-05T12:00:00Z"), ZoneOffset.UTC));
        consumer.schedulePollTask(subscriber::close);

        // when it runs
        subscriber.run();

        // then it did not stop: the changes were offered again (the sink ignores those it has) and are committed now
        assertThat(sink.attempts).containsExactly(1L, 2L, 1L, 2L);
        assertThat(subscriber.status().lastError()).isNull();
        assertThat(committedOffset()).isEqualTo(2);
    }

    private void addRecords(StatusChange... changes) {
        for (int i = 0; i < changes.length; i++) {
            consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), i, changes[i].getNegotiationId(), changes[i]));
        }
    }

    private SubscriptionStatus run(Subscription subscription, StatusChange... changes) throws Exception {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            for (int i = 0; i < changes.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), i, changes[i].getNegotiationId(), changes[i]));
            }
        });
        var subscriber = new StatusChangeSubscriber(consumer, subscription, parkingLot,
                Clock.fixed(Instant.parse("2025-12-05T12:00:00Z"), ZoneOffset.UTC));
        // the second poll has nothing new: stop there
        consumer.schedulePollTask(subscriber::close);
        subscriber.run();
        return subscriber.status();
    }

    private long committedOffset() {
        return committed.get(PARTITION) == null ? 0 : committed.get(PARTITION).offset();
    }

    private static StatusChange change(long version) {
        return change("ukraine-peace-2025", version, ChangeKind.MEETING_HELD);
    }

    private static StatusChange change(String negotiation, long version, ChangeKind kind) {
        return new StatusChange(negotiation, version - 1, version, List.of(new Change(kind, "meeting:moscow", null, "{}")),
                List.of("development-" + version), Instant.parse("2025-12-05T12:02:00Z"), false);
    }

    /** A sink that does what the test says, per version. */
    private static class ScriptedSink implements Sink {

        final List<Long> attempts = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        private final Map<Long, Integer> failuresLeft = new HashMap<>();
        private final Map<Long, Exception> forGood = new HashMap<>();

        ScriptedSink failing(long version, int times) {
            failuresLeft.put(version, times);
            return this;
        }

        ScriptedSink rejecting(long version) {
            forGood.put(version, new RejectedChangeException("bad request"));
            return this;
        }

        ScriptedSink gone(long version) {
            forGood.put(version, new SinkGoneException("https://example.org/hook answered 410 Gone"));
            return this;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean accept(StatusChange change) throws Exception {
            long version = change.getToVersion();
            attempts.add(version);
            if (forGood.containsKey(version)) {
                throw forGood.get(version);
            }
            if (failuresLeft.getOrDefault(version, 0) > 0) {
                failuresLeft.merge(version, -1, Integer::sum);
                throw new java.io.IOException("target down");
            }
            delivered.add(version);
            return true;
        }
    }
}
