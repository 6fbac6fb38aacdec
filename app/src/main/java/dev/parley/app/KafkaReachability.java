package dev.parley.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;

/**
 * Asks the cluster one question before a command's work, so that a stopped Parley or a wrong security setting is
 * named within seconds: Kafka's clients otherwise retry for their whole timeouts (15 to 60 s) before they give up,
 * and say little about why.
 */
final class KafkaReachability {

    /** Nothing listens at any of the cluster's addresses: Parley, or Kafka, is not running there. */
    static final class NoBroker extends KafkaException {
        NoBroker() {
            super("no broker listens there");
        }
    }

    /** How long a command waits for the cluster's first answer. */
    static final Duration WAIT = Duration.ofSeconds(4);

    private KafkaReachability() {
    }

    /** Returns when the cluster answers; else throws, saying whether nothing listens or something that is not Kafka as configured. */
    static void require(Map<String, Object> client) {
        String listening = listening(client).orElseThrow(NoBroker::new); // said at once: a closed port answers at once
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1_000);
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 1_000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        Admin admin = Admin.create(config);
        try {
            admin.describeCluster().clusterId().get(WAIT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafka && !(kafka instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw kafka; // refused credentials, ACLs: the cause says it best
            }
            throw silent(client, listening);
        } catch (TimeoutException e) {
            throw silent(client, listening);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the cluster's answer", e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /** Something accepts connections at {@code server} but did not answer as Kafka: most often another security protocol. */
    private static KafkaException silent(Map<String, Object> client, String server) {
        Object protocol = client.getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        return new KafkaException("something listens at " + server + " but does not answer as a Kafka broker with security.protocol "
                + protocol + " within " + WAIT.toSeconds() + " s (check KAFKA_SECURITY_PROTOCOL against the listener the cluster's "
                + "operators gave you)");
    }

    /** The first of the cluster's addresses where something accepts a connection. */
    private static Optional<String> listening(Map<String, Object> client) {
        for (String server : String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)).split(",")) {
            String host = Utils.getHost(server.trim());
            Integer port = Utils.getPort(server.trim());
            if (host == null || port == null) {
                return Optional.of(server.trim()); // not an address Parley can try: the client says what is wrong with it
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new KafkaException("this machine cannot resolve the host name \"" + host + "\" (check the cluster's addresses)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 1_000);
                return Optional.of(server.trim());
            } catch (IOException e) {
                // nothing there: try the next one
            }
        }
        return Optional.empty();
    }
}
