package dev.parley.localkafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A second listener for a {@link LocalKafka}, as a secured cluster has it: TLS with the given key store, SCRAM-SHA-512
 * logins for the given users, and Kafka's standard authorizer, so that a user does only what ACLs allow. The
 * PLAINTEXT listener stays, for LocalKafka itself and for the test that sets the ACLs: its anonymous user is a super
 * user.
 *
 * @param port             where the listener takes connections ({@code SASL_SSL})
 * @param keyStore         the broker's key store, PKCS12, its certificate naming 127.0.0.1
 * @param keyStorePassword the key store's password (also the key's)
 * @param users            SCRAM users and their passwords, created when the broker is formatted
 */
public record SecureListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    public SecureListener {
        users = Map.copyOf(users);
    }

    /** The broker settings of the listener, the SCRAM mechanism and the authorizer. */
    Map<String, String> brokerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sasl.enabled.mechanisms", MECHANISM);
        properties.put("listener.name.secure.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put("listener.name.secure.ssl.keystore.location", keyStore.toAbsolutePath().toString());
        properties.put("listener.name.secure.ssl.keystore.password", keyStorePassword);
        properties.put("listener.name.secure.ssl.key.password", keyStorePassword);
        properties.put("listener.name.secure.ssl.keystore.type", "PKCS12");
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:ANONYMOUS"); // the PLAINTEXT and controller listeners
        return properties;
    }

    /** {@code StorageTool format} arguments that create the users' SCRAM credentials. */
    String[] formatArguments() {
        return users.entrySet().stream()
                .flatMap(user -> java.util.stream.Stream.of("--add-scram",
                        MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]"))
                .toArray(String[]::new);
    }

    /** What a client needs to connect as {@code user}: the settings, with the trust store to check the broker by. */
    public static Map<String, String> clientProperties(String user, String password, Path trustStore, String trustStorePassword) {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";",
                "ssl.truststore.location", trustStore.toAbsolutePath().toString(),
                "ssl.truststore.password", trustStorePassword, "ssl.truststore.type", "PKCS12");
    }
}
