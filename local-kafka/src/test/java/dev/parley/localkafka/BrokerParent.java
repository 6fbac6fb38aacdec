package dev.parley.localkafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for an application that starts a broker and is then killed: {@link LocalKafkaIT}
 * runs it as a separate JVM to check that the broker does not outlive it.
 */
final class BrokerParent {

    private BrokerParent() {
    }

    /** Starts a broker in {@code args[0]}, prints {@code broker-pid=<pid>} on stdout, then blocks until killed. */
    public static void main(String[] args) throws InterruptedException {
        LocalKafka kafka = LocalKafka.in(Path.of(args[0]));
        kafka.start();
        // stdout is this helper's protocol with the test, hence System.out rather than a logger.
        System.out.println("broker-pid=" + kafka.pid());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
