package dev.parley.streams;

import dev.parley.schemas.StatusChange;

/**
 * What folding one development gives downstream: the change a reader would notice (null if none), and the offset of
 * the development, which marks its negotiation's new view as waiting to be published.
 */
record StatusUpdate(StatusChange change, long offset) {
}
