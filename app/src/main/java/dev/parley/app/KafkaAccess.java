package dev.parley.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks Kafka, before writing, whether this principal may write a topic. A producer whose login is refused, or that
 * lacks the ACL, retries until its timeouts run out (tens of seconds) before it says so; the admin client's one
 * question is answered at once.
 */
final class KafkaAccess {

    private KafkaAccess() {
    }

    /** Returns when the topic may be written (or does not exist yet); else throws, saying what is missing. */
    static void requireWrite(Map<String, Object> client, String topic) throws InterruptedException {
        KafkaReachability.require(client);
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            TopicDescription description = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
            var allowed = description.authorizedOperations();
            if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
                throw new KafkaException("Not authorized to access topics: [" + topic + "] (this principal may "
                        + allowed.stream().map(Enum::name).sorted().toList() + " it, not WRITE: ask for a WRITE ACL on it)");
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                return; // the producer creates it, or says why not
            }
            if (cause instanceof AuthorizationException) {
                throw new KafkaException("Not authorized to access topics: [" + topic + "] (ask for DESCRIBE and WRITE ACLs on it)", cause);
            }
            if (cause instanceof AuthenticationException) {
                throw new KafkaException(cause.getMessage(), cause);
            }
            throw new KafkaException(cause == null ? e.getMessage() : cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaException("no answer within 20 s", e);
        }
    }
}
