package dev.parley.streams;

import dev.parley.schemas.Actor;
import dev.parley.schemas.ActorRole;
import dev.parley.schemas.Claim;
import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentType;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.Occurrence;
import dev.parley.schemas.Operation;
import dev.parley.schemas.Phase;
import dev.parley.schemas.Quote;
import dev.parley.schemas.Source;
import dev.parley.schemas.Stance;
import dev.parley.schemas.AvroSetup;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated developments of one negotiation over a bounded space of items (parties, issues, meetings, claims),
 * with many sharing a date so that report time and id break ties. Seeded: the same seed, the same history. For tests
 * and for {@code parley bench}.
 */
public final class RandomDevelopments {

    static {
        AvroSetup.ensure();
    }

    static final String NEGOTIATION = "generated";
    private static final LocalDate FIRST_DAY = LocalDate.parse("2025-12-01");
    private static final Instant FIRST_REPORT = Instant.parse("2025-12-01T06:00:00Z");
    private static final String[] PARTIES = {"US", "RU", "UA", "EU", "UK", "NATO", "UN"};
    private static final String[] ISSUES = {"territory:donetsk", "security-guarantees", "deported-children", "financing", "sanctions"};
    private static final DevelopmentType[] TYPES = DevelopmentType.values();

    private final Random random;
    private final int days;
    private final String negotiation;
    private int next;

    RandomDevelopments(long seed, int days) {
        this(seed, days, NEGOTIATION);
    }

    /** Developments of {@code negotiation} over {@code days} days. */
    public RandomDevelopments(long seed, int days, String negotiation) {
        this.random = new Random(seed);
        this.days = days;
        this.negotiation = negotiation;
    }

    /** A new development, dated anywhere in the period and reported when it happened or up to three days later. */
    public Development next() {
        int day = random.nextInt(days);
        return next(day, FIRST_REPORT.plusSeconds(day * 86_400L + random.nextInt(3 * 86_400)));
    }

    /** A development dated {@code day} days into the period, reported at {@code reportedAt}. */
    Development next(int day, Instant reportedAt) {
        String id = "d" + (next++);
        DevelopmentType type = TYPES[random.nextInt(TYPES.length)];
        List<Actor> actors = new ArrayList<>();
        int actorCount = 1 + random.nextInt(3);
        for (int i = 0; i < actorCount; i++) {
            String party = pick(PARTIES);
            actors.add(new Actor("actor-" + party.toLowerCase() + "-" + random.nextInt(3), ActorRole.OFFICIAL, party));
        }
        List<Claim> claims = new ArrayList<>();
        if (type == DevelopmentType.MILITARY_CLAIM) {
            claims.add(new Claim("control of town " + random.nextInt(4), actors.get(0).getName(), pick(Stance.values())));
        }
        List<Quote> quotes = random.nextInt(3) == 0 ? List.of(new Quote("« quote " + id + " »", actors.get(0).getName())) : List.of();
        return Development.newBuilder()
                .setDevelopmentId(id).setNegotiationId(negotiation)
                .setOccurredOn(new EventDate(FIRST_DAY.plusDays(day), random.nextInt(4) == 0 ? DatePrecision.WEEK : DatePrecision.DAY))
                .setOccurrence(pick(Occurrence.values()))
                .setReportedAt(reportedAt)
                .setType(type)
                .setSubject(type == DevelopmentType.MILITARY_CLAIM ? null : type.name().toLowerCase() + ":" + random.nextInt(6))
                .setSummary("Summary of " + id)
                .setLanguage("fr")
                .setActors(actors)
                .setQuotes(quotes)
                .setClaims(claims)
                .setSources(List.of(new Source("Outlet " + random.nextInt(3), null, null, "fr")))
                .setIssues(random.nextBoolean() ? List.of(pick(ISSUES)) : List.of(pick(ISSUES), pick(ISSUES)))
                .setPhase(random.nextInt(5) == 0 ? pick(Phase.values()) : null)
                .setDecision(random.nextInt(8) == 0 ? pick(DecisionStatus.values()) : null)
                .setBinding(type == DevelopmentType.RESOLUTION ? random.nextBoolean() : null)
                .setStickingPoint(random.nextInt(6) == 0)
                .build();
    }

    /** A correction of {@code target}: same kind of fact, new content, reported later. */
    public Development correction(Development target) {
        Development replacement = next(days(target), target.getReportedAt().plusSeconds(3600 + random.nextInt(86_400)));
        return Development.newBuilder(replacement).setOperation(Operation.CORRECT).setSupersedes(target.getDevelopmentId()).build();
    }

    /** A retraction of {@code target}, reported later. */
    Development retraction(Development target) {
        return Development.newBuilder(target).setDevelopmentId("r" + (next++)).setOperation(Operation.RETRACT)
                .setSupersedes(target.getDevelopmentId()).setReportedAt(target.getReportedAt().plusSeconds(7200)).build();
    }

    /** A new revision of {@code target} with another summary. */
    Development revision(Development target) {
        return Development.newBuilder(target).setRevision(target.getRevision() + 1).setSummary(target.getSummary() + " (revised)").build();
    }

    private int days(Development d) {
        return (int) (d.getOccurredOn().getStart().toEpochDay() - FIRST_DAY.toEpochDay());
    }

    public boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    Random random() {
        return random;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
