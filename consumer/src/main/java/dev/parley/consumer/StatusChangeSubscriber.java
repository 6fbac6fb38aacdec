package dev.parley.consumer;

import dev.parley.consumer.SubscriptionStatus.State;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one subscription's sink from {@code parley.status-changes}: poll, deliver in order, then commit, so a
 * crash redelivers (and the idempotent sink ignores) rather than loses. A failing delivery is retried with
 * backoff; after the policy's last attempt, or at once when the target rejects the change for good, the change
 * is parked and delivery goes on. A target that says it is gone disables the subscription. Runs on its own
 * thread until closed.
 */
public final class StatusChangeSubscriber implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusChangeSubscriber.class);

    private final Consumer<String, StatusChange> consumer;
    private final Subscription subscription;
    private final ParkingLot parkingLot;
    private final Clock clock;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile SubscriptionStatus status;
    private final SubscriptionMeters meters;

    public StatusChangeSubscriber(Consumer<String, StatusChange> consumer, Subscription subscription, ParkingLot parkingLot,
                                  Clock clock) {
        this.consumer = consumer;
        this.subscription = subscription;
        this.parkingLot = parkingLot;
        this.clock = clock;
        this.status = new SubscriptionStatus(subscription.name(), subscription.sink().name(), subscription.filter().toString(),
                State.STARTING, 0, 0, 0, 0, -1, null, null);
        this.meters = new SubscriptionMeters(Metrics.globalRegistry, this::status, consumer);
    }

    public static StatusChangeSubscriber create(ConsumerSettings settings, Subscription subscription) {
        return new StatusChangeSubscriber(new KafkaConsumer<>(settings.toKafkaProperties(subscription.consumerGroup()),
                new StringDeserializer(), AvroSerde.of(StatusChange.class)), subscription,
                KafkaParkingLot.create(settings), Clock.systemUTC());
    }

    /** A snapshot, safe to read from any thread. */
    public SubscriptionStatus status() {
        return status;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.STATUS_CHANGES));
            log.info("Subscription {} ({} to sink {}) reading {}", subscription.name(), subscription.filter(),
                    subscription.sink().name(), Topics.STATUS_CHANGES);
            while (!isClosing() && status.state() != State.DISABLED) {
                ConsumerRecords<String, StatusChange> records = consumer.poll(Duration.ofMillis(500));
                Map<ConsumerRecord<String, StatusChange>, Delivery> delivered = deliverAtOnce(records);
                boolean whole = true;
                for (ConsumerRecord<String, StatusChange> record : records) {
                    if (isClosing() || !handle(record, delivered.getOrDefault(record, Delivery.LEFT_OUT))) {
                        whole = false;
                        break;
                    }
                }
                if (whole) {
                    markPositions();
                }
                commitHandled();
                updateLag();
            }
        } catch (WakeupException e) {
            if (!isClosing()) {
                fail(e);
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            try {
                commitHandled();
            } catch (Exception e) {
                log.warn("Subscription {} could not commit on the way out ({}): those changes are offered again",
                        subscription.name(), e.toString());
            }
            meters.close();
            consumer.close();
            parkingLot.close();
            if (status.state() != State.DISABLED) {
                status = with(State.STOPPED, status.lastError());
            }
        }
    }

    /**
     * Offers the poll's matching changes to the sink all at once ({@link Sink#acceptAll}); what it delivered, by record.
     * The records are then still handled one by one, in order, so offsets, counts and failures are dealt with as ever.
     */
    private Map<ConsumerRecord<String, StatusChange>, Delivery> deliverAtOnce(ConsumerRecords<String, StatusChange> records) {
        List<ConsumerRecord<String, StatusChange>> matching = new ArrayList<>();
        records.forEach(record -> {
            if (subscription.filter().matches(record.value())) {
                matching.add(record);
            }
        });
        if (matching.size() < 2) {
            return Map.of();
        }
        List<Delivery> outcomes = subscription.sink().acceptAll(matching.stream().map(ConsumerRecord::value).toList());
        Map<ConsumerRecord<String, StatusChange>, Delivery> delivered = new IdentityHashMap<>();
        for (int i = 0; i < matching.size(); i++) {
            if (outcomes.get(i) != Delivery.LEFT_OUT) {
                delivered.put(matching.get(i), outcomes.get(i));
            }
        }
        return delivered;
    }

    /**
     * Delivers, skips or parks one record, unless {@code atOnce} says the sink already took it with the poll's others;
     * false when delivery must stop (closing, or the target is gone).
     */
    private boolean handle(ConsumerRecord<String, StatusChange> record, Delivery atOnce) throws Exception {
        StatusChange change = record.value();
        if (!subscription.filter().matches(change)) {
            status = count(status, 0, 0, 1, 0);
            markHandled(record);
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                boolean deliveredNow = atOnce == Delivery.LEFT_OUT ? subscription.sink().accept(change) : atOnce == Delivery.DELIVERED;
                log.debug("Subscription {}: {} v{} {}", subscription.name(), change.getNegotiationId(), change.getToVersion(),
                        deliveredNow ? "delivered" : "already there");
                status = count(with(State.DELIVERING, status.lastError()), deliveredNow ? 1 : 0, deliveredNow ? 0 : 1, 0, 0);
                if (deliveredNow) {
                    publishedAt(record).ifPresent(sent -> meters.delivered(sent, clock.millis()));
                }
                markHandled(record);
                return true;
            } catch (SinkGoneException e) {
                log.error("Subscription {} disabled: {}", subscription.name(), e.getMessage());
                status = with(State.DISABLED, e.getMessage());
                return false;
            } catch (RejectedChangeException e) {
                park(record, e, attempt);
                return true;
            } catch (Exception e) {
                if (!subscription.retry().shouldRetryAfter(attempt)) {
                    park(record, e, attempt);
                    return true;
                }
                Duration delay = subscription.retry().delayBefore(attempt + 1, ThreadLocalRandom.current()::nextDouble);
                log.warn("Subscription {}: delivering {} v{} failed (attempt {} of {}), retrying in {} ms: {}",
                        subscription.name(), change.getNegotiationId(), change.getToVersion(), attempt,
                        subscription.retry().maxAttempts(), delay.toMillis(), e.toString());
                status = with(State.RETRYING, describe(e));
                if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
        }
    }

    private void park(ConsumerRecord<String, StatusChange> record, Exception error, int attempts) throws Exception {
        parkingLot.park(record, subscription.name(), error, attempts);
        log.error("Subscription {}: parked {} v{} after {} attempt(s): {}", subscription.name(), record.value().getNegotiationId(),
                record.value().getToVersion(), attempts, describe(error));
        status = count(with(State.DELIVERING, describe(error)), 0, 0, 0, 1);
        markHandled(record);
    }

    private void markHandled(ConsumerRecord<String, StatusChange> record) {
        handled.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    /**
     * Every record polled was handled: commit where the consumer stands, which is past the transaction markers that
     * follow the last record, so the committed offsets, and the lag others compute from them, reach the end of the log.
     */
    private void markPositions() {
        for (TopicPartition partition : consumer.assignment()) {
            long position = consumer.position(partition);
            if (position > committed.getOrDefault(partition, -1L)) {
                handled.put(partition, new OffsetAndMetadata(position));
            }
        }
    }

    /**
     * Commits what was handled. A commit refused because the group rebalanced meanwhile (this consumer missed its session,
     * say while Kafka was paused, and the group took its partitions back) is not an error of the subscription: whoever
     * holds the partitions next starts at the last commit, and the idempotent sink ignores the changes it already has.
     * A commit that timed out is tried again after the next poll.
     */
    private void commitHandled() {
        if (handled.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(handled);
            handled.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            handled.clear();
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("Subscription {}: its consumer group rebalanced before it could commit ({}); the changes since its last commit "
                    + "are offered again, and the sink ignores those it already has", subscription.name(), e.getMessage());
            handled.clear();
        } catch (RetriableException e) {
            log.warn("Subscription {}: could not commit its offsets yet ({}); trying again after the next poll", subscription.name(), e.toString());
        }
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            var partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return; // not known yet: keep the last figure rather than show a wrong one
            }
            lag += partitionLag.getAsLong();
        }
        if (consumer.assignment().isEmpty()) {
            return;
        }
        SubscriptionStatus now = status;
        status = new SubscriptionStatus(now.name(), now.sink(), now.filter(),
                now.state() == State.STARTING ? State.DELIVERING : now.state(), now.delivered(), now.alreadyHad(),
                now.skipped(), now.parked(), lag, now.lastError(), now.lastDelivered());
    }

    private void fail(Exception e) {
        log.error("Subscription {} stopped: {}", subscription.name(), e.toString(), e);
        status = with(State.STOPPED, describe(e));
    }

    private SubscriptionStatus with(State state, String lastError) {
        SubscriptionStatus s = status;
        return new SubscriptionStatus(s.name(), s.sink(), s.filter(), state, s.delivered(), s.alreadyHad(), s.skipped(),
                s.parked(), s.lag(), lastError, s.lastDelivered());
    }

    private SubscriptionStatus count(SubscriptionStatus s, long delivered, long alreadyHad, long skipped, long parked) {
        return new SubscriptionStatus(s.name(), s.sink(), s.filter(), s.state(), s.delivered() + delivered,
                s.alreadyHad() + alreadyHad, s.skipped() + skipped, s.parked() + parked, s.lag(), s.lastError(),
                delivered > 0 ? Instant.now(clock) : s.lastDelivered());
    }

    /** When the change's development was published, from the header the topology carried over; empty when unknown. */
    private static OptionalLong publishedAt(ConsumerRecord<String, StatusChange> record) {
        Header header = record.headers().lastHeader(Topics.PUBLISHED_AT_HEADER);
        try {
            return header == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    /** Stops delivering, within the current retry wait at most; safe to call from another thread. */
    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
    }
}
