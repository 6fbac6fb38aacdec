package dev.parley.app;

import dev.parley.schemas.KafkaVariables;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where Parley runs: its home folder, the Kafka it uses (embedded when none is given), its HTTP port.
 * Every setting has a default that works on one machine; flags override environment variables.
 *
 * @param home              folder for the embedded broker, state and file sinks ({@code PARLEY_HOME}, default {@code ./.parley})
 * @param bootstrapServers  an external Kafka ({@code PARLEY_BOOTSTRAP_SERVERS} or {@code KAFKA_BOOTSTRAP_SERVERS}); null means
 *                          the embedded broker
 * @param httpHost          address the web server listens on ({@code PARLEY_HTTP_HOST}, default 127.0.0.1: this machine only)
 * @param httpPort          port of the web server ({@code PARLEY_PORT}, default 8080)
 * @param kafkaPort         port of the embedded broker ({@code PARLEY_KAFKA_PORT}, default 9092)
 * @param controllerPort    controller port of the embedded broker ({@code PARLEY_KAFKA_CONTROLLER_PORT}, default 9093)
 * @param partitions        partitions of each topic Parley creates ({@code PARLEY_PARTITIONS}, default 3)
 * @param replicationFactor replicas of each topic Parley creates ({@code PARLEY_REPLICATION_FACTOR}, default 1)
 * @param apiToken          bearer token that writes over HTTP need ({@code PARLEY_API_TOKEN}); null means {@code parley up}
 *                          generates one and keeps it in {@code <home>/api-token}
 * @param maxBodyBytes      largest request body the web server reads ({@code PARLEY_MAX_BODY_BYTES}, default 1 MiB)
 * @param rateLimitPerSecond writes per second allowed from one client address, with bursts of twice as many
 *                          ({@code PARLEY_RATE_LIMIT_PER_SECOND}, default 20)
 * @param env               the environment, for {@code KAFKA_*} pass-through, and {@code PARLEY_ADVERTISED_URL}
 *                          (see {@link #advertisedAddress()})
 */
public record AppSettings(Path home, String bootstrapServers, String httpHost, int httpPort, int kafkaPort, int controllerPort,
                          int partitions, short replicationFactor, String apiToken, int maxBodyBytes, int rateLimitPerSecond,
                          Map<String, String> env) {

    public static AppSettings from(Map<String, String> env) {
        var settings = new AppSettings(
                Path.of(env.getOrDefault("PARLEY_HOME", ".parley")).toAbsolutePath().normalize(),
                bootstrapServers(env),
                env.getOrDefault("PARLEY_HTTP_HOST", "127.0.0.1"),
                intSetting(env, "PARLEY_PORT", 8080),
                intSetting(env, "PARLEY_KAFKA_PORT", 9092),
                intSetting(env, "PARLEY_KAFKA_CONTROLLER_PORT", 9093),
                intSetting(env, "PARLEY_PARTITIONS", 3),
                (short) intSetting(env, "PARLEY_REPLICATION_FACTOR", bootstrapServers(env) == null && embeddedBrokers(env) >= 3 ? 3 : 1),
                blankToNull(env.get("PARLEY_API_TOKEN")),
                positive(env, "PARLEY_MAX_BODY_BYTES", 1024 * 1024),
                positive(env, "PARLEY_RATE_LIMIT_PER_SECOND", 20),
                Map.copyOf(env));
        // A bad value fails on start, not when first used.
        settings.advertisedAddress();
        settings.minInsyncReplicas();
        settings.allowUnsafeReplication();
        settings.brokers();
        settings.checkKafkaClientSettings();
        return settings;
    }

    /**
     * Refuses a {@code KAFKA_*} value Kafka's clients would refuse, naming the variable: otherwise the first client to
     * start fails with Kafka's message alone, and a command reads it as a cluster that is not there.
     */
    private void checkKafkaClientSettings() {
        Map<String, Object> client = new java.util.HashMap<>(kafkaClient());
        client.put("key.serializer", ByteArraySerializer.class);
        client.put("value.serializer", ByteArraySerializer.class);
        client.put("key.deserializer", ByteArrayDeserializer.class);
        client.put("value.deserializer", ByteArrayDeserializer.class);
        try {
            new ProducerConfig(client);
            new ConsumerConfig(client);
            new AdminClientConfig(client);
        } catch (ConfigException e) {
            var property = java.util.regex.Pattern.compile("for configuration ([a-z0-9.]+)").matcher(String.valueOf(e.getMessage()));
            String name = property.find() ? KafkaVariables.toEnv(Map.of(property.group(1), "")).keySet().iterator().next() + ": " : "";
            throw new IllegalArgumentException(name + e.getMessage(), e);
        }
    }

    /**
     * The external Kafka: {@code PARLEY_BOOTSTRAP_SERVERS}, else {@code KAFKA_BOOTSTRAP_SERVERS} (the name Kafka's own
     * images and tools use); null for the embedded broker. Both set to different clusters is refused: no client may
     * quietly talk to a cluster other than the one {@code parley config} shows.
     */
    static String bootstrapServers(Map<String, String> env) {
        String parley = blankToNull(env.get("PARLEY_BOOTSTRAP_SERVERS"));
        String kafka = blankToNull(env.get(KAFKA_BOOTSTRAP_SERVERS));
        if (parley != null && kafka != null && !parley.equals(kafka)) {
            throw new IllegalArgumentException("PARLEY_BOOTSTRAP_SERVERS (\"" + parley + "\") and " + KAFKA_BOOTSTRAP_SERVERS + " (\""
                    + kafka + "\") name different clusters: set only one of them");
        }
        return parley != null ? parley : kafka;
    }

    static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

    /**
     * Where the other Parley instances sharing the work reach this one's HTTP API, as {@code host:port} (Kafka Streams'
     * {@code application.server}): from {@code PARLEY_ADVERTISED_URL}, else this machine's HTTP host (its name when
     * listening on every address) and port. Empty when neither says which port, i.e. port 0 chosen at start: then
     * this instance answers queries alone, from its own state.
     */
    public Optional<String> advertisedAddress() {
        String url = blankToNull(env.get("PARLEY_ADVERTISED_URL"));
        if (url != null) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                    || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                throw new IllegalArgumentException("PARLEY_ADVERTISED_URL: \"" + url
                        + "\" is not an address other instances can reach (expected http://HOST:PORT, e.g. http://parley-1:8080)");
            }
            return Optional.of(uri.getHost() + ":" + uri.getPort());
        }
        if (httpPort == 0) {
            return Optional.empty();
        }
        return Optional.of(reachableHost() + ":" + httpPort);
    }

    /** 0.0.0.0 is where to listen, not where to call: the others get this machine's name instead. */
    private String reachableHost() {
        if (!httpHost.equals("0.0.0.0") && !httpHost.equals("::") && !httpHost.isBlank()) {
            return httpHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("PARLEY_HTTP_HOST is " + httpHost + " and this machine's name is unknown ("
                    + e.getMessage() + "): set PARLEY_ADVERTISED_URL to the address other instances reach this one at");
        }
    }

    /** The JSON lines file {@code parley up} appends every status change to. */
    public Path changesFile() {
        return home.resolve("changes.jsonl");
    }

    /** The folder {@code parley up} writes an Atom feed per negotiation in. */
    public Path feedsFolder() {
        return home.resolve("feeds");
    }

    /** The database the embedded default keeps status and history in ({@code PARLEY_DATABASE_URL}, default a SQLite file in home). */
    public String databaseUrl() {
        String url = blankToNull(env.get("PARLEY_DATABASE_URL"));
        return url != null ? url : "jdbc:sqlite:" + home.resolve("parley.db");
    }

    /** The {@code whsec_...} secret webhooks are signed with when their subscription names none ({@code PARLEY_WEBHOOK_SECRET}). */
    public String webhookSecret() {
        return blankToNull(env.get("PARLEY_WEBHOOK_SECRET"));
    }

    /** Whether webhooks may target loopback and private addresses ({@code PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS}, default false). */
    public boolean allowPrivateWebhookTargets() {
        return booleanSetting(env, "PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS");
    }

    /**
     * {@code min.insync.replicas} of the topics Parley and its topology create ({@code PARLEY_MIN_INSYNC_REPLICAS},
     * default 1, for the embedded broker; 2 on a cluster with replication factor 3).
     */
    public int minInsyncReplicas() {
        return positive(env, "PARLEY_MIN_INSYNC_REPLICAS", embedded() && brokers() >= 3 ? 2 : 1);
    }

    /**
     * How many brokers the embedded Kafka has ({@code PARLEY_BROKERS}, default 1): 3 makes a cluster on this machine,
     * replication 3 and min ISR 2 by default, to see a broker fail and Parley go on. Not for an external Kafka.
     */
    public int brokers() {
        return embeddedBrokers(env);
    }

    private static int embeddedBrokers(Map<String, String> env) {
        return positive(env, "PARLEY_BROKERS", 1);
    }

    /** Whether to start on a multi-broker cluster whose replication is unsafe for exactly-once ({@code PARLEY_ALLOW_UNSAFE_REPLICATION}). */
    public boolean allowUnsafeReplication() {
        return booleanSetting(env, ReplicationSafety.ALLOW);
    }

    /** The subscriptions file ({@code PARLEY_SUBSCRIPTIONS}, default {@code <home>/subscriptions.yaml}, used if it exists). */
    public Path subscriptionsFile() {
        String file = blankToNull(env.get("PARLEY_SUBSCRIPTIONS"));
        return file != null ? Path.of(file).toAbsolutePath() : home.resolve("subscriptions.yaml");
    }

    public boolean embedded() {
        return bootstrapServers == null;
    }

    /** The Kafka clients connect to: the external one, or the embedded brokers' fixed ports (see {@link #brokers()}). */
    public String kafka() {
        if (!embedded()) {
            return bootstrapServers;
        }
        List<String> brokers = new ArrayList<>();
        for (int node = 0; node < brokers(); node++) {
            brokers.add("127.0.0.1:" + (kafkaPort + 10 * node));
        }
        return String.join(",", brokers);
    }

    /**
     * What every Kafka client of Parley's gets: the cluster, and the {@code KAFKA_*} settings, such as
     * {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} and its credentials.
     */
    public Map<String, Object> kafkaClient() {
        Map<String, Object> client = new java.util.HashMap<>(KafkaVariables.from(env));
        client.put("bootstrap.servers", kafka());
        return client;
    }

    public AppSettings withBootstrapServers(String servers) {
        return servers == null ? this : new AppSettings(home, servers, httpHost, httpPort, kafkaPort, controllerPort, partitions, replicationFactor,
                apiToken, maxBodyBytes, rateLimitPerSecond, env);
    }

    public AppSettings withHttpPort(Integer port) {
        return port == null ? this : new AppSettings(home, bootstrapServers, httpHost, port, kafkaPort, controllerPort, partitions, replicationFactor,
                apiToken, maxBodyBytes, rateLimitPerSecond, env);
    }

    public AppSettings withHome(Path dir) {
        return dir == null ? this : new AppSettings(dir.toAbsolutePath().normalize(), bootstrapServers, httpHost, httpPort, kafkaPort,
                controllerPort, partitions, replicationFactor, apiToken, maxBodyBytes, rateLimitPerSecond, env);
    }

    /** The same settings with one environment variable set, as if it had been exported. */
    public AppSettings withEnv(String name, String value) {
        Map<String, String> changed = new java.util.HashMap<>(env);
        changed.put(name, value);
        return new AppSettings(home, bootstrapServers, httpHost, httpPort, kafkaPort, controllerPort, partitions, replicationFactor,
                apiToken, maxBodyBytes, rateLimitPerSecond, Map.copyOf(changed));
    }

    /** Never prints the API token, nor the environment it may come from. */
    @Override
    public String toString() {
        return "AppSettings[home=" + home + ", kafka=" + kafka() + ", http=" + httpHost + ":" + httpPort
                + ", apiToken=" + (apiToken == null ? "generated" : "(from PARLEY_API_TOKEN)") + ", maxBodyBytes=" + maxBodyBytes
                + ", rateLimitPerSecond=" + rateLimitPerSecond + "]";
    }

    private static int positive(Map<String, String> env, String name, int defaultValue) {
        int value = intSetting(env, name, defaultValue);
        if (value < 1) {
            throw new IllegalArgumentException(name + ": \"" + env.get(name) + "\" is too small (expected 1 or more, e.g. " + defaultValue + ")");
        }
        return value;
    }

    private static int intSetting(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" is not a number (expected e.g. " + defaultValue + ")");
        }
    }

    private static boolean booleanSetting(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + ": \"" + value + "\" is not true or false");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
