package dev.parley.streams;

import dev.parley.schemas.AvroLimits;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Claim;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import java.util.function.BiFunction;

/**
 * What one development may bring into the fold, checked before it changes anything: within these, every item, view
 * and change the topology writes stays far below Kafka's 1 MiB a record, whatever the history. A development over
 * them is refused with an error naming the negotiation, the development and the limit; the topology sends it to
 * {@code parley.dead-letters} and folds on.
 */
final class FoldLimits {

    /** Claimants of one claim: each has a stance in the claim's item. */
    static final int MAX_CLAIMANTS = 25;

    private static final AvroSerde<Development> SERDE = AvroSerde.of(Development.class);

    private FoldLimits() {
    }

    /** Refused: a development the fold will not take, and why. */
    static final class Exceeded extends IllegalArgumentException {
        Exceeded(Development d, String what) {
            super("development \"" + d.getDevelopmentId() + "\" of negotiation \"" + d.getNegotiationId() + "\" is not folded: "
                    + what + "; it is in parley.dead-letters, and the negotiation folds on without it");
        }
    }

    /** @param claims a negotiation's claim by subject, null if it has none */
    static void check(Development d, BiFunction<String, String, ClaimState> claims) {
        int bytes = SERDE.serialize(Topics.DEVELOPMENTS, d).length;
        if (bytes > AvroLimits.MAX_DEVELOPMENT_BYTES) {
            throw new Exceeded(d, "it takes " + bytes + " bytes encoded, over the limit of " + AvroLimits.MAX_DEVELOPMENT_BYTES
                    + " (shorten its summary, quotes or sources)");
        }
        for (Claim claim : d.getClaims()) {
            String subject = ItemKey.claimSubject(d, claim);
            ClaimState state = claims.apply(d.getNegotiationId(), subject);
            if (state != null && state.getStances().size() >= MAX_CLAIMANTS
                    && state.getStances().stream().noneMatch(s -> s.getClaimant().equals(claim.getClaimant()))) {
                throw new Exceeded(d, "claim \"" + subject + "\" has " + state.getStances().size() + " claimants, the limit, and "
                        + "\"" + claim.getClaimant() + "\" would be one more");
            }
        }
    }
}
