package dev.parley.consumer;

import java.util.regex.Pattern;

/**
 * Someone's wish to hear about status changes: which ones, delivered to which sink, retried how. Its name
 * names its consumer group ({@code parley-sink-<name>}), so each subscription keeps its own place in the
 * history and a slow one never holds back another.
 */
public record Subscription(String name, Sink sink, ChangeFilter filter, RetryPolicy retry) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public Subscription {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not a subscription name (expected 1 to 63 of "
                    + "a-z, 0-9, '.', '_', '-', starting with a letter or digit)");
        }
    }

    /** Every change, to one sink, under the sink's own name. */
    public static Subscription to(Sink sink) {
        return new Subscription(sink.name(), sink, ChangeFilter.ALL, RetryPolicy.DEFAULT);
    }

    public String consumerGroup() {
        return "parley-sink-" + name;
    }
}
