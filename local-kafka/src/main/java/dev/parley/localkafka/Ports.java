package dev.parley.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The two ports a local broker listens on: PLAINTEXT for clients, CONTROLLER for its own KRaft quorum. */
record Ports(int broker, int controller) {

    /** Keeps the given ports and replaces each 0 by a port that is free on 127.0.0.1 right now. */
    static Ports choose(int broker, int controller) {
        // Both sockets are open at once, so the two free ports differ.
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Ports(
                    broker == 0 ? first.getLocalPort() : broker,
                    controller == 0 ? second.getLocalPort() : controller);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
        }
    }
}
