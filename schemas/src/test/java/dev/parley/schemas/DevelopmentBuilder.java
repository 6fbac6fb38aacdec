package dev.parley.schemas;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Test data: {@code aDevelopment().meeting().in("Moscou").on("2025-12-02").build()}, with fixed instants. */
public final class DevelopmentBuilder {

    public static final String NEGOTIATION = "ukraine-peace-2025";

    static {
        AvroSetup.ensure();
    }

    private final Development.Builder development = Development.newBuilder()
            .setDevelopmentId("dev-1")
            .setNegotiationId(NEGOTIATION)
            .setOccurredOn(new EventDate(LocalDate.parse("2025-12-02"), DatePrecision.DAY))
            .setOccurrence(Occurrence.OCCURRED)
            .setReportedAt(Instant.parse("2025-12-02T18:00:00Z"))
            .setType(DevelopmentType.STATEMENT)
            .setSummary("Une déclaration.")
            .setLanguage("fr");
    private final List<Actor> actors = new ArrayList<>();
    private final List<Claim> claims = new ArrayList<>();
    private final List<Quote> quotes = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>(List.of(new Source("Article de presse (seed)", null, "Test", "fr")));
    private final List<String> issues = new ArrayList<>();

    public static DevelopmentBuilder aDevelopment() {
        return new DevelopmentBuilder();
    }

    public DevelopmentBuilder id(String id) {
        development.setDevelopmentId(id);
        return this;
    }

    public DevelopmentBuilder negotiation(String negotiationId) {
        development.setNegotiationId(negotiationId);
        return this;
    }

    public DevelopmentBuilder revision(int revision) {
        development.setRevision(revision);
        return this;
    }

    public DevelopmentBuilder corrects(String supersededId) {
        development.setOperation(Operation.CORRECT).setSupersedes(supersededId);
        return this;
    }

    public DevelopmentBuilder retracts(String supersededId) {
        development.setOperation(Operation.RETRACT).setSupersedes(supersededId);
        return this;
    }

    public DevelopmentBuilder type(DevelopmentType type) {
        development.setType(type);
        return this;
    }

    public DevelopmentBuilder meeting() {
        return type(DevelopmentType.MEETING);
    }

    public DevelopmentBuilder subject(String subject) {
        development.setSubject(subject);
        return this;
    }

    public DevelopmentBuilder in(String place) {
        development.setPlace(place);
        return this;
    }

    public DevelopmentBuilder on(String date) {
        return on(date, DatePrecision.DAY);
    }

    public DevelopmentBuilder on(String date, DatePrecision precision) {
        development.setOccurredOn(new EventDate(LocalDate.parse(date), precision));
        return this;
    }

    public DevelopmentBuilder scheduled() {
        development.setOccurrence(Occurrence.SCHEDULED);
        return this;
    }

    public DevelopmentBuilder occurrence(Occurrence occurrence) {
        development.setOccurrence(occurrence);
        return this;
    }

    public DevelopmentBuilder reportedAt(String instant) {
        development.setReportedAt(Instant.parse(instant));
        return this;
    }

    public DevelopmentBuilder summary(String summary) {
        development.setSummary(summary);
        return this;
    }

    public DevelopmentBuilder actor(String name, ActorRole role, String party) {
        actors.add(new Actor(name, role, party));
        return this;
    }

    public DevelopmentBuilder quote(String text, String speaker) {
        quotes.add(new Quote(text, speaker));
        return this;
    }

    public DevelopmentBuilder claim(String claim, String claimant, Stance stance) {
        claims.add(new Claim(claim, claimant, stance));
        return this;
    }

    public DevelopmentBuilder issue(String issue) {
        issues.add(issue);
        return this;
    }

    public DevelopmentBuilder phase(Phase phase) {
        development.setPhase(phase);
        return this;
    }

    public DevelopmentBuilder decision(DecisionStatus decision) {
        development.setDecision(decision);
        return this;
    }

    public DevelopmentBuilder binding(boolean binding) {
        development.setBinding(binding);
        return this;
    }

    public DevelopmentBuilder stickingPoint() {
        development.setStickingPoint(true);
        return this;
    }

    public Development build() {
        return development.setActors(List.copyOf(actors)).setClaims(List.copyOf(claims)).setQuotes(List.copyOf(quotes))
                .setSources(List.copyOf(sources)).setIssues(List.copyOf(issues)).build();
    }
}
