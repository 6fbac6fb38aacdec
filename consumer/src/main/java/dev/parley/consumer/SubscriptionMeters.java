package dev.parley.consumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * One subscription's meters, tagged with its name and sink: what it delivered, parked and skipped, how far behind it
 * is, and how long a change took from its development's publication to delivery. Its consumer's own Kafka metrics
 * come along. Removed on close, so a subscription started again under the same name starts its meters afresh.
 */
final class SubscriptionMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final Supplier<SubscriptionStatus> status;
    private final List<Meter> meters;
    private final Timer deliveryLatency;
    private final KafkaClientMetrics kafkaMetrics;

    SubscriptionMeters(MeterRegistry registry, Supplier<SubscriptionStatus> status, Consumer<?, ?> consumer) {
        SubscriptionStatus first = status.get();
        Tags tags = Tags.of("subscription", first.name(), "sink", first.sink());
        this.registry = registry;
        this.status = status;
        this.deliveryLatency = Timer.builder("parley.delivery.latency")
                .description("From the development's publication (its parley.published-at header) to its status change's delivery by the sink")
                .tags(tags).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        this.meters = List.of(deliveryLatency,
                counter("parley.subscription.delivered", "Changes the sink took", tags, SubscriptionStatus::delivered),
                counter("parley.subscription.already.had", "Changes the sink already had (a replay or a redelivery)", tags,
                        SubscriptionStatus::alreadyHad),
                counter("parley.subscription.skipped", "Changes the subscription's filter left out", tags, SubscriptionStatus::skipped),
                counter("parley.subscription.parked", "Changes given up on after the last retry, kept on parley.parked-changes", tags,
                        SubscriptionStatus::parked),
                Gauge.builder("parley.subscription.lag", this, m -> Math.max(0, m.status.get().lag()))
                        .description("Changes on parley.status-changes this subscription has not handled yet").tags(tags)
                        .register(registry));
        this.kafkaMetrics = new KafkaClientMetrics(consumer, tags);
        kafkaMetrics.bindTo(registry);
    }

    void delivered(long publishedAtMillis, long nowMillis) {
        deliveryLatency.record(Duration.ofMillis(Math.max(0, nowMillis - publishedAtMillis)));
    }

    // The registry holds its meters' objects weakly: this one lives as long as its subscriber.
    private FunctionCounter counter(String name, String description, Tags tags, ToLongFunction<SubscriptionStatus> count) {
        return FunctionCounter.builder(name, this, m -> count.applyAsLong(m.status.get())).description(description).tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        kafkaMetrics.close();
        meters.forEach(registry::remove);
    }
}
