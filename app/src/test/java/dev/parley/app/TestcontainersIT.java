package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.jdbc.DatabaseSink;
import dev.parley.consumer.jdbc.TestDatabases;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Where a Docker engine runs, the integration tests' shared Kafka and PostgreSQL are Testcontainers' (see
 * KafkaExtension and TestDatabases), and Parley runs on them end to end. Reported as skipped, with the reason, where
 * there is no engine; every other integration test then runs on the local broker and PostgreSQL.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(KafkaExtension.class)
class TestcontainersIT {

    @TempDir
    Path home;

    @Test
    void shouldRunParleyOnTestcontainersKafkaAndPostgresql(KafkaBroker kafka) throws Exception {
        assertThat(kafka.getClass().getSimpleName()).isEqualTo("ContainerKafka");
        assertThat(TestDatabases.POSTGRESQL).doesNotContain("127.0.0.1:5432");

        String database = TestDatabases.freshPostgresqlSchema();
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "testcontainers-it"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        try (Pipeline pipeline = Pipeline.start(settings)) {
            pipeline.subscribe(new Subscription("it-testcontainers", DatabaseSink.open(database),
                    ChangeFilter.of(List.of("testcontainers-talks"), List.of()), RetryPolicy.DEFAULT), Map.of());
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(SeedArticle.as("testcontainers-talks"));
            }
            Await.until("the status row at the last version", Duration.ofSeconds(120), () ->
                    TestDatabases.column(database, "SELECT version FROM negotiation_status").equals(List.of(23L)));
        } finally {
            TestDatabases.dropPostgresqlSchema(database);
        }
    }
}
