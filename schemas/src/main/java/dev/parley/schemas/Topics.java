package dev.parley.schemas;

import java.util.List;

/** The Kafka topics Parley reads and writes; every topic name is declared here and nowhere else. */
public final class Topics {

    /** The log of record: every development as reported, keyed by negotiation id, kept forever. */
    public static final String DEVELOPMENTS = "parley.developments";

    /** Latest {@link NegotiationStatus} per negotiation, compacted. */
    public static final String STATUS = "parley.status";

    /** Every {@link StatusChange}, keyed by negotiation id, kept forever: what subscribers consume. */
    public static final String STATUS_CHANGES = "parley.status-changes";

    /** Records the topology could not read or process, with headers saying why. */
    public static final String DEAD_LETTERS = "parley.dead-letters";

    /** Status changes a sink gave up on after its retries, with headers naming the subscription and the error. */
    public static final String PARKED_CHANGES = "parley.parked-changes";

    /**
     * Header of a development's record: when the publisher sent it, in epoch milliseconds as decimal text (the record's
     * timestamp is when the development was reported). The topology carries it to the status change, so a sink can
     * tell how long a change took from publication to delivery.
     */
    public static final String PUBLISHED_AT_HEADER = "parley.published-at";

    public static final List<String> ALL = List.of(DEVELOPMENTS, STATUS, STATUS_CHANGES, DEAD_LETTERS, PARKED_CHANGES);

    private Topics() {
    }
}
