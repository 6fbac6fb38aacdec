package dev.parley.app;

import dev.parley.schemas.KafkaVariables;
import dev.parley.streams.StreamsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley config}: every setting's effective value and where it comes from, secrets masked. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Prints Parley's effective configuration: each setting, its value, and where the value comes from "
                + "(flag, environment, config file or default). Secrets (the API token, the webhook secret, passwords) "
                + "are masked.", "",
                "Give it the flags you give the other commands, to see what they would use."},
        footer = {"", "Example:", "  PARLEY_PORT=8081 ./parley config --config prod.properties"})
final class ConfigCommand implements Callable<Integer> {

    static final String MASK = "********";

    /** A setting and how to tell its effective value from the settings Parley would run with. */
    private record Setting(String name, String flag, Function<AppSettings, Object> value) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("PARLEY_CONFIG", "--config", s -> "(see above)"),
            new Setting("PARLEY_BOOTSTRAP_SERVERS", "--bootstrap-server", s -> s.embedded() ? "(embedded broker on " + s.kafka() + ")" : s.kafka()),
            new Setting("PARLEY_HOME", "--home", AppSettings::home),
            new Setting("PARLEY_PORT", "--port", AppSettings::httpPort),
            new Setting("PARLEY_HTTP_HOST", null, AppSettings::httpHost),
            new Setting("PARLEY_ADVERTISED_URL", null, s -> s.advertisedAddress().map(a -> "http://" + a).orElse("(none: the port is chosen at start)")),
            new Setting("PARLEY_API_TOKEN", null, s -> s.apiToken() == null ? "(generated in " + s.home().resolve("api-token") + ")" : MASK),
            new Setting("PARLEY_SSE_MAX_CLIENTS", null, s -> ChangeStream.maxClients(s.env())),
            new Setting("PARLEY_SSE_HEARTBEAT_SECONDS", null, s -> ChangeStream.heartbeatSeconds(s.env())),
            new Setting("PARLEY_MAX_BODY_BYTES", null, AppSettings::maxBodyBytes),
            new Setting("PARLEY_RATE_LIMIT_PER_SECOND", null, AppSettings::rateLimitPerSecond),
            new Setting("PARLEY_BROKERS", "--brokers", AppSettings::brokers),
            new Setting("PARLEY_KAFKA_PORT", null, AppSettings::kafkaPort),
            new Setting("PARLEY_KAFKA_CONTROLLER_PORT", null, AppSettings::controllerPort),
            new Setting("PARLEY_PARTITIONS", null, AppSettings::partitions),
            new Setting("PARLEY_REPLICATION_FACTOR", null, AppSettings::replicationFactor),
            new Setting("PARLEY_MIN_INSYNC_REPLICAS", null, AppSettings::minInsyncReplicas),
            new Setting("PARLEY_ALLOW_UNSAFE_REPLICATION", null, AppSettings::allowUnsafeReplication),
            new Setting("PARLEY_APPLICATION_ID", null, s -> streams(s).applicationId()),
            new Setting("PARLEY_STATE_DIR", null, s -> streams(s).stateDir()),
            new Setting("PARLEY_DATABASE_URL", null, s -> Sinks.shown(s.databaseUrl())),
            new Setting("PARLEY_SUBSCRIPTIONS", null, AppSettings::subscriptionsFile),
            new Setting("PARLEY_WEBHOOK_SECRET", null, s -> s.webhookSecret() == null ? "(none)" : MASK),
            new Setting("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", null, AppSettings::allowPrivateWebhookTargets),
            new Setting("PARLEY_LOG_FORMAT", null, s -> s.env().getOrDefault("PARLEY_LOG_FORMAT", "text")),
            new Setting("PARLEY_LOG_LEVEL", null, s -> Logging.levels(s.env().getOrDefault("PARLEY_LOG_LEVEL", "")).toString()
                    .replace("ROOT=", "(all)=").replaceAll("[{}]", "")));

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--home", paramLabel = "DIR", description = "As for parley up.")
    Path home;

    @Option(names = "--port", paramLabel = "PORT", description = "As for parley up.")
    Integer port;

    @Override
    public Integer call() {
        Configuration configuration = kafka.configuration();
        AppSettings settings = kafka.settings().withHome(home).withHttpPort(port);
        Set<String> flags = new TreeSet<>();
        if (kafka.configFile != null) {
            flags.add("PARLEY_CONFIG");
        }
        if (kafka.bootstrapServers != null) {
            flags.add("PARLEY_BOOTSTRAP_SERVERS");
        }
        if (home != null) {
            flags.add("PARLEY_HOME");
        }
        if (port != null) {
            flags.add("PARLEY_PORT");
        }
        spec.commandLine().getOut().print(render(configuration, settings, flags));
        return 0;
    }

    /** The table {@code parley config} prints; {@code flags} names the settings a flag gave. */
    static String render(Configuration configuration, AppSettings settings, Set<String> flags) {
        StringBuilder out = new StringBuilder();
        out.append("Parley's configuration: flags win over environment variables, which win over ")
                .append(configuration.file() == null ? "a config file (none: no --config, PARLEY_CONFIG or ./parley.properties)"
                        : "the config file " + configuration.file())
                .append(", which wins over defaults. Secrets are masked.").append(System.lineSeparator()).append(System.lineSeparator());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SETTING", "VALUE", "FROM"});
        for (Setting setting : SETTINGS) {
            String value = setting.name().equals("PARLEY_CONFIG")
                    ? (configuration.file() == null ? "(none)" : configuration.file().toString())
                    : String.valueOf(setting.value().apply(settings));
            rows.add(new String[] {setting.name(), value, from(configuration, flags, setting.name(), setting.flag())});
        }
        Map<String, String> env = configuration.environment();
        for (String name : new TreeSet<>(env.keySet())) {
            Set<String> property = KafkaVariables.from(Map.of(name, "")).keySet(); // empty unless passed to the clients
            if (!property.isEmpty()) {
                rows.add(new String[] {name + " (" + property.iterator().next() + ")", isSecret(name) ? MASK : env.get(name),
                        from(configuration, flags, name, null)});
            }
        }
        int nameWidth = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        int valueWidth = Math.min(60, rows.stream().mapToInt(row -> row[1].length()).max().orElse(0));
        for (String[] row : rows) {
            out.append(String.format("%-" + nameWidth + "s  %-" + valueWidth + "s  %s", row[0], row[1], row[2]).stripTrailing())
                    .append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String from(Configuration configuration, Set<String> flags, String name, String flag) {
        if (flags.contains(name)) {
            return "flag " + flag;
        }
        if (name.equals("PARLEY_BOOTSTRAP_SERVERS") && configuration.source(name) == Configuration.Source.DEFAULT
                && configuration.source(AppSettings.KAFKA_BOOTSTRAP_SERVERS) != Configuration.Source.DEFAULT) {
            return from(configuration, flags, AppSettings.KAFKA_BOOTSTRAP_SERVERS, null) + " (" + AppSettings.KAFKA_BOOTSTRAP_SERVERS + ")";
        }
        return switch (configuration.source(name)) {
            case ENVIRONMENT -> "environment";
            case FILE -> "config file";
            default -> "default";
        };
    }

    /** Kafka's secrets: passwords, keys, JAAS configurations (which hold passwords). */
    static boolean isSecret(String name) {
        return name.contains("PASSWORD") || name.contains("SECRET") || name.contains("JAAS") || name.endsWith("_KEY")
                || name.contains("CREDENTIALS") || name.contains("TOKEN");
    }

    private static StreamsSettings streams(AppSettings settings) {
        return StreamsSettings.from(settings.env(), settings.kafka(), settings.home().resolve("streams"));
    }
}
