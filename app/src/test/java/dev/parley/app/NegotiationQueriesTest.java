package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Phase;
import dev.parley.streams.StatusFold;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiationQueriesTest {

    private static final String TALKS = "geneva-talks";

    private final InMemoryNegotiationState state = new InMemoryNegotiationState();
    private final NegotiationQueries queries = new NegotiationQueries(state);

    // A history with a late report and a correction: the Moscow meeting of 2 December was reported on the 6th,
    // after the Florida talks of the 4th; on the 7th, the place of the Florida talks was corrected.
    private static final Development PROPOSAL = aDevelopment().negotiation(TALKS).id("proposal").type(dev.parley.schemas.DevelopmentType.PROPOSAL)
            .subject("plan:peace").phase(Phase.PROPOSAL).on("2025-12-01").reportedAt("2025-12-01T09:00:00Z").build();
    private static final Development FLORIDA = aDevelopment().negotiation(TALKS).id("florida").meeting().subject("meeting:florida")
            .in("Miami").on("2025-12-04").reportedAt("2025-12-04T20:00:00Z").build();
    private static final Development MOSCOW_LATE = aDevelopment().negotiation(TALKS).id("moscow").meeting().subject("meeting:moscow")
            .in("Moscou").on("2025-12-02").reportedAt("2025-12-06T08:00:00Z").build();
    private static final Development FLORIDA_CORRECTED = aDevelopment().negotiation(TALKS).id("florida-fix").meeting().subject("meeting:florida")
            .in("Hallandale Beach").on("2025-12-04").reportedAt("2025-12-07T10:00:00Z").corrects("florida").build();
    private static final List<Development> HISTORY = List.of(PROPOSAL, FLORIDA, MOSCOW_LATE, FLORIDA_CORRECTED);

    @Test
    void shouldAnswerTheCurrentViewFromTheStoreWhenThisInstanceHoldsIt() {
        // given
        NegotiationStatus current = StatusFold.fold(TALKS, HISTORY);
        state.holds(TALKS, current, HISTORY);

        // when
        var answer = queries.status(TALKS, null, null);

        // then
        assertThat(answer).isEqualTo(new NegotiationQueries.Found<>(current));
    }

    @Test
    void shouldAnswerNotFoundForANegotiationThisInstanceHoldsNothingAbout() {
        // given
        state.location = new NegotiationQueries.Here(1);

        // when / then
        assertThat(queries.status("unknown-talks", null, null)).isInstanceOf(NegotiationQueries.NotFound.class);
        assertThat(queries.status("unknown-talks", LocalDate.parse("2025-12-03"), null)).isInstanceOf(NegotiationQueries.NotFound.class);
        assertThat(queries.timeline("unknown-talks", null, null)).isInstanceOf(NegotiationQueries.NotFound.class);
    }

    @Test
    void shouldPointToTheInstanceThatHoldsTheNegotiation() {
        // given
        state.location = new NegotiationQueries.There("10.0.0.2:8080");

        // when / then
        assertThat(queries.status(TALKS, null, null)).isEqualTo(new NegotiationQueries.Elsewhere<>("10.0.0.2:8080"));
        assertThat(queries.timeline(TALKS, null, null)).isEqualTo(new NegotiationQueries.Elsewhere<>("10.0.0.2:8080"));
    }

    @Test
    void shouldBeUnavailableWhileNoInstanceHoldsItOrTheStoreCannotAnswer() {
        // given no owner
        state.location = new NegotiationQueries.Unknown();

        // when / then
        assertThat(queries.status(TALKS, null, null)).isInstanceOf(NegotiationQueries.Unavailable.class);

        // given an owner whose store is closed while it restores
        state.location = new NegotiationQueries.Here(0);
        state.storesOpen = false;

        // when / then
        var answer = queries.status(TALKS, LocalDate.parse("2025-12-03"), null);
        assertThat(answer).isInstanceOf(NegotiationQueries.Unavailable.class);
        assertThat(((NegotiationQueries.Unavailable<?>) answer).reason()).contains(TALKS).contains("restoring");
        assertThat(queries.localStatuses()).isInstanceOf(NegotiationQueries.Unavailable.class);
    }

    @Test
    void shouldFoldTheViewWithinBothTimeBoundsExactlyAsTheReferenceDoes() {
        // given
        state.holds(TALKS, StatusFold.fold(TALKS, HISTORY), HISTORY);
        Instant beforeTheLateReport = Instant.parse("2025-12-05T00:00:00Z");
        Instant beforeTheCorrection = Instant.parse("2025-12-06T12:00:00Z");

        // when / then: as of the 3rd, known now, the late-reported Moscow meeting is in, Florida is not yet
        var asOf = (NegotiationQueries.Found<NegotiationStatus>) queries.status(TALKS, LocalDate.parse("2025-12-03"), null);
        assertThat(asOf.value()).isEqualTo(StatusFold.asOf(TALKS, HISTORY, LocalDate.parse("2025-12-03"), null));
        assertThat(asOf.value().getMeetings()).extracting(m -> m.getPlace()).containsExactly("Moscou");

        // and as known before the late report, Moscow is unknown
        var known = (NegotiationQueries.Found<NegotiationStatus>) queries.status(TALKS, null, beforeTheLateReport);
        assertThat(known.value()).isEqualTo(StatusFold.asOf(TALKS, HISTORY, null, beforeTheLateReport));
        assertThat(known.value().getMeetings()).extracting(m -> m.getPlace()).containsExactly("Miami");

        // and before the correction, Florida is still in Miami; after it, in Hallandale Beach
        var uncorrected = (NegotiationQueries.Found<NegotiationStatus>) queries.status(TALKS, LocalDate.parse("2025-12-31"), beforeTheCorrection);
        assertThat(uncorrected.value().getMeetings()).extracting(m -> m.getPlace()).containsExactly("Moscou", "Miami");
        var corrected = (NegotiationQueries.Found<NegotiationStatus>) queries.status(TALKS, LocalDate.parse("2025-12-31"), null);
        assertThat(corrected.value().getMeetings()).extracting(m -> m.getPlace()).containsExactly("Moscou", "Hallandale Beach");
        assertThat(state.logReads).isZero();
    }

    @Test
    void shouldFoldFromTheLogWhenARevisionWasReportedAfterKnownAt() {
        // given the state keeps only revision 2 of the Florida talks, reported on the 8th; the log has both revisions
        Development floridaRevised = aDevelopment().negotiation(TALKS).id("florida").revision(2).meeting().subject("meeting:florida")
                .in("Palm Beach").on("2025-12-04").reportedAt("2025-12-08T10:00:00Z").build();
        List<Development> log = List.of(PROPOSAL, FLORIDA, floridaRevised);
        state.holds(TALKS, StatusFold.fold(TALKS, log), List.of(PROPOSAL, floridaRevised));
        state.log.put(TALKS, log);
        Instant beforeTheRevision = Instant.parse("2025-12-05T00:00:00Z");

        // when
        var answer = (NegotiationQueries.Found<NegotiationStatus>) queries.status(TALKS, null, beforeTheRevision);

        // then revision 1, which was known then, is in the view
        assertThat(answer.value()).isEqualTo(StatusFold.asOf(TALKS, log, null, beforeTheRevision));
        assertThat(answer.value().getMeetings()).extracting(m -> m.getPlace()).containsExactly("Miami");
        assertThat(state.logReads).isEqualTo(1);
    }

    @Test
    void shouldListTheTimelineInEventOrderWithCorrectionsAppliedWithinFromAndTo() {
        // given
        state.holds(TALKS, StatusFold.fold(TALKS, HISTORY), HISTORY);

        // when
        var all = (NegotiationQueries.Found<List<Development>>) queries.timeline(TALKS, null, null);
        var some = (NegotiationQueries.Found<List<Development>>) queries.timeline(TALKS, LocalDate.parse("2025-12-02"), LocalDate.parse("2025-12-03"));

        // then
        assertThat(all.value()).extracting(Development::getDevelopmentId).containsExactly("proposal", "moscow", "florida-fix");
        assertThat(some.value()).extracting(Development::getDevelopmentId).containsExactly("moscow");
    }
}
