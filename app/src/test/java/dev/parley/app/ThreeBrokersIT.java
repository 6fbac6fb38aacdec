package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.localkafka.LocalKafkaCluster;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import dev.parley.streams.StatusFold;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley on a cluster of three brokers ({@link LocalKafkaCluster}): the replication checks run for real, and the
 * leader of a partition of the log of record killed while developments are published loses none of them.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ThreeBrokersIT {

    private static final int NEGOTIATIONS = 12;

    @TempDir
    Path home;

    @Test
    void shouldRefuseUnsafeReplicationAndFoldEveryDevelopmentWhenALeaderIsKilledMidFeed() throws Exception {
        try (var cluster = LocalKafkaCluster.in(home.resolve("cluster"), 3, settings -> settings.withMaxHeap("384m"))) {
            cluster.start();

            // given the cluster's defaults of one machine, Parley refuses to start, naming each setting
            AppSettings unsafe = settings(cluster, "cluster-unsafe-it", "2", "1");
            assertThatThrownBy(() -> Pipeline.start(unsafe).close()).hasMessageContaining("unsafe for exactly-once")
                    .hasMessageContaining("PARLEY_REPLICATION_FACTOR is 2").hasMessageContaining("PARLEY_MIN_INSYNC_REPLICAS is 1");

            // and with replication 3 and two in sync, it starts
            AppSettings safe = settings(cluster, "cluster-it", "3", "2");
            try (Pipeline pipeline = Pipeline.start(safe)) {
                pipeline.awaitCaughtUp(Duration.ofSeconds(120));

                // when the seed article's developments of twelve negotiations are published, and the leader of a partition
                // of the log of record is killed (SIGKILL) a third of the way through
                List<List<Development>> negotiations = new ArrayList<>();
                for (int n = 0; n < NEGOTIATIONS; n++) {
                    negotiations.add(SeedArticle.as("cluster-talks-" + n));
                }
                var thirdPublished = new CountDownLatch(1);
                var killed = new CountDownLatch(1);
                var feed = CompletableFuture.runAsync(() -> publish(safe, negotiations, thirdPublished, killed));
                assertThat(thirdPublished.await(60, TimeUnit.SECONDS)).isTrue();
                int leader;
                try (Admin admin = Admin.create(safe.kafkaClient())) {
                    leader = admin.describeTopics(List.of(Topics.DEVELOPMENTS)).allTopicNames().get().get(Topics.DEVELOPMENTS)
                            .partitions().get(0).leader().id();
                }
                cluster.node(leader).kill();
                killed.countDown();
                feed.get(120, TimeUnit.SECONDS);

                // then, the broker still down, every negotiation is folded exactly as the reference fold folds its developments
                pipeline.awaitCaughtUp(Duration.ofSeconds(180));
                assertFoldedAsTheReferenceFold(pipeline, negotiations);

                // and with the broker back, still
                cluster.node(leader).start();
                pipeline.awaitCaughtUp(Duration.ofSeconds(60));
                assertFoldedAsTheReferenceFold(pipeline, negotiations);
            }
        }
    }

    private AppSettings settings(LocalKafkaCluster cluster, String applicationId, String replicas, String inSync) {
        return AppSettings.from(Map.of("PARLEY_APPLICATION_ID", applicationId, "PARLEY_PORT", "0",
                        "PARLEY_REPLICATION_FACTOR", replicas, "PARLEY_MIN_INSYNC_REPLICAS", inSync))
                .withBootstrapServers(cluster.bootstrapServers()).withHome(home.resolve(applicationId));
    }

    private static void assertFoldedAsTheReferenceFold(Pipeline pipeline, List<List<Development>> negotiations) {
        for (List<Development> developments : negotiations) {
            String id = developments.get(0).getNegotiationId();
            NegotiationStatus view = pipeline.status(id).orElseThrow();
            NegotiationStatus expected = StatusFold.fold(id, developments);
            expected.setVersion(view.getVersion());
            assertThat(view).as(id).isEqualTo(expected);
        }
    }

    /**
     * One negotiation at a time, each acknowledged by the in-sync replicas before the next; after the first third,
     * {@code thirdPublished} opens and the rest waits for {@code killed}.
     */
    private static void publish(AppSettings settings, List<List<Development>> negotiations, CountDownLatch thirdPublished,
                                CountDownLatch killed) {
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            for (int n = 0; n < negotiations.size(); n++) {
                if (n == negotiations.size() / 3) {
                    thirdPublished.countDown();
                    killed.await();
                }
                publisher.publishAll(negotiations.get(n));
            }
        } catch (Exception e) {
            throw new IllegalStateException("publishing the feed failed", e);
        }
    }
}
