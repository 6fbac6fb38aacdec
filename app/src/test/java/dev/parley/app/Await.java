package dev.parley.app;

import java.time.Duration;

/** Waits in tests: a condition polled until it holds, with a deadline, never a bare sleep. */
final class Await {

    private Await() {
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} until it holds; fails saying what it waited for once {@code timeout} has passed. */
    static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(100);
        }
    }
}
