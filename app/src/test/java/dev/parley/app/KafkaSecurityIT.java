package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.localkafka.SecureListener;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley on a broker that wants TLS, SCRAM-SHA-512 logins and ACLs, as a production cluster does: with its principal
 * allowed only what it needs it works end to end; a wrong password or a missing ACL stops a publish at once, with a
 * message that says why, nothing written and no secret printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaSecurityIT {

    private static final String STORE_PASSWORD = "store-pass-7f3a";
    private static final String PARLEY_PASSWORD = "parley-secret-91c2";
    private static final String READER_PASSWORD = "reader-secret-4b8e";
    private static final String APPLICATION_ID = "secure-it";

    @TempDir
    static Path dir;

    private LocalKafka kafka;
    private String secure;
    private Path trustStore;

    @BeforeAll
    void startASecuredBroker() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        trustStore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=IP:127.0.0.1", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD, "-rfc",
                "-file", dir.resolve("broker.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", dir.resolve("broker.pem").toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        int port = freePort();
        kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")).withSecureListener(
                new SecureListener(port, keyStore, STORE_PASSWORD, Map.of("parley", PARLEY_PASSWORD, "reader", READER_PASSWORD))));
        kafka.start();
        secure = "127.0.0.1:" + port;

        // Parley's principal gets what it needs, and no more; the reader may only read the changes.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<AclBinding> acls = new ArrayList<>();
            for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE_CONFIGS)) {
                acls.add(allow("parley", ResourceType.TOPIC, "parley.", PatternType.PREFIXED, operation));
            }
            acls.add(allow("parley", ResourceType.TOPIC, APPLICATION_ID + "-", PatternType.PREFIXED, AclOperation.ALL)); // changelogs
            acls.add(allow("parley", ResourceType.GROUP, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
            acls.add(allow("parley", ResourceType.GROUP, "parley-sink-", PatternType.PREFIXED, AclOperation.READ));
            acls.add(allow("parley", ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.WRITE));
            acls.add(allow("parley", ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.DESCRIBE));
            acls.add(allow("reader", ResourceType.TOPIC, Topics.STATUS_CHANGES, PatternType.LITERAL, AclOperation.READ));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stopTheBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRunEndToEndWithOnlyTheAclsItNeeds() throws Exception {
        Map<String, String> env = new HashMap<>(kafkaEnv("parley", PARLEY_PASSWORD));
        env.put("PARLEY_APPLICATION_ID", APPLICATION_ID);
        AppSettings settings = AppSettings.from(env).withBootstrapServers(secure).withHome(dir.resolve("home"));
        String negotiation = "secured-talks";
        try (Pipeline pipeline = Pipeline.start(settings)) {
            Path changes = dir.resolve("changes.jsonl");
            pipeline.subscribe(new Subscription("secure-file", new JsonLinesSink(changes), ChangeFilter.of(List.of(negotiation), List.of()),
                    RetryPolicy.DEFAULT), Map.of());
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(env, secure))) {
                publisher.publishAll(SeedArticle.as(negotiation));
            }

            Await.until("the topology running", Duration.ofSeconds(60), () -> pipeline.isRunning() && pipeline.canQuery());
            Await.until("the seed folded and every change delivered", Duration.ofSeconds(90), () ->
                    pipeline.status(negotiation).filter(view -> view.getDevelopmentCount() == 23).isPresent()
                            && Files.exists(changes) && Files.readAllLines(changes).size() == 23);
            assertThat(TopicSnapshot.statuses(settings.kafkaClient(), Duration.ofSeconds(30))).containsKey(negotiation);
        }
    }

    @Test
    void shouldStopAPublishAtOnceOnAWrongPasswordWritingNothing() throws Exception {
        long before = developmentsOnTheLog();

        var run = publish(kafkaEnv("parley", "not-the-password"));
        System.out.printf("parley publish with a wrong password: exit %d after %.1f s%n", run.exit(), run.seconds());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("Authentication failed").contains("Check this principal's credentials")
                .doesNotContain("not-the-password").doesNotContain(STORE_PASSWORD);
        assertThat(run.seconds()).as(run.output()).isLessThan(15);
        assertThat(developmentsOnTheLog()).isEqualTo(before);
    }

    @Test
    void shouldStopAPublishAtOnceWithoutTheAclToWriteWritingNothing() throws Exception {
        long before = developmentsOnTheLog();

        var run = publish(kafkaEnv("reader", READER_PASSWORD));
        System.out.printf("parley publish without the ACL to write: exit %d after %.1f s%n", run.exit(), run.seconds());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("Not authorized to access topics: [" + Topics.DEVELOPMENTS + "]")
                .doesNotContain(READER_PASSWORD);
        assertThat(run.seconds()).as(run.output()).isLessThan(15);
        assertThat(developmentsOnTheLog()).isEqualTo(before);
    }

    private record Run(int exit, String output, double seconds) {
    }

    @Test
    void shouldSayInSecondsThatTheSecurityProtocolDoesNotMatchTheListener() throws Exception {
        // when a command speaks plain Kafka (no KAFKA_SECURITY_PROTOCOL) to the TLS listener
        var run = run(Map.of(), "status", "ukraine-peace-2025", "--bootstrap-server", secure);
        System.out.printf("parley status in plaintext to a TLS listener: exit %d after %.1f s%n", run.exit(), run.seconds());

        // then it says so in one line, naming the setting to check, in seconds rather than after the clients' timeouts
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output().lines().toList()).as(run.output()).singleElement().asString()
                .contains("does not answer as a Kafka broker with security.protocol PLAINTEXT", "KAFKA_SECURITY_PROTOCOL");
        assertThat(run.seconds()).as(run.output()).isLessThan(10);
    }

    /** {@code parley publish} of the sample file, in a JVM of its own, with these settings in its environment. */
    private Run publish(Map<String, String> env) throws Exception {
        return run(env, "publish", Path.of("..", "samples", "ukraine-peace-2025.ndjson").toString(), "--bootstrap-servers", secure);
    }

    /** A command of Parley's, in a JVM of its own, with these settings in its environment. */
    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KafkaPerformance.java(), "-cp", System.getProperty("java.class.path"),
                Parley.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output, (System.nanoTime() - start) / 1e9);
    }

    private long developmentsOnTheLog() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of(Topics.DEVELOPMENTS)).allTopicNames().get().get(Topics.DEVELOPMENTS).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(Topics.DEVELOPMENTS, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (java.util.concurrent.ExecutionException noTopicYet) {
            return 0;
        }
    }

    private Map<String, String> kafkaEnv(String user, String password) {
        return KafkaVariables.toEnv(SecureListener.clientProperties(user, password, trustStore, STORE_PASSWORD));
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
