package dev.parley.localkafka;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The main class of the child JVM that {@link LocalKafka} starts: a Kafka broker that dies with
 * the JVM that started it.
 */
final class BrokerMain {

    private static final Logger log = LoggerFactory.getLogger(BrokerMain.class);

    private BrokerMain() {
    }

    /** Runs the broker configured by {@code args[0]}, a {@code server.properties} file. */
    public static void main(String[] args) {
        // A terminal's Ctrl-C reaches every process of its group, this one too: the broker would stop before
        // the clients that need it to close cleanly. It stops when LocalKafka says so (SIGTERM), or when its parent is gone.
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        Thread watch = new Thread(BrokerMain::haltWhenParentIsGone, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }

    /**
     * Blocks on stdin, a pipe the parent holds open and never writes to: the operating system
     * closes it when the parent dies, however it dies, so end-of-file means nobody will ever stop
     * this broker. Halting (not exiting) skips Kafka's graceful shutdown, which nobody waits for
     * and which could hang; acknowledged records are already in the operating system's hands.
     */
    private static void haltWhenParentIsGone() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            log.debug("Reading stdin failed, taken as end-of-file", e);
        }
        log.warn("Standard input closed: the JVM that started this broker is gone, halting");
        Runtime.getRuntime().halt(1);
    }
}
