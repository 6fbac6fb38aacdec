package dev.parley.app;

import java.io.PrintWriter;

/** A one-line progress report for long work: count, percentage, rate and time left, at most a few times a second. */
final class ProgressLine {

    private static final long EVERY_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastShown;
    private boolean shown;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - lastShown < EVERY_NANOS && done < total) {
            return;
        }
        lastShown = now;
        shown = true;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        long left = total > done && rate > 0 ? Math.round((total - done) / rate) : 0;
        err.printf("\r  %,d / %,d records (%d%%), %,.0f/s, about %d s left   ", done, total, total == 0 ? 100 : 100 * done / total, rate, left);
        err.flush();
    }

    void done() {
        if (shown) {
            err.println();
            err.flush();
        }
    }
}
