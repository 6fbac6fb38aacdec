package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;

/** What folding one development produced: the new view, and the change a reader would notice (null if none). */
record StatusUpdate(NegotiationStatus status, StatusChange change) {
}
