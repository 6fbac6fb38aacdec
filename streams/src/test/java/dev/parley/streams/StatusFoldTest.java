package dev.parley.streams;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Occurrence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFoldTest {

    private static final String NEGOTIATION = "ukraine-peace-2025";

    /** Cases the property test runs; each is a history of 10 to 60 developments. */
    static final int CASES = 500;

    @Test
    void shouldAgreeWithTheReferenceFoldForAnyOrderDuplicatesLateArrivalsAndCorrections() {
        for (int seed = 0; seed < CASES; seed++) {
            // given a generated history with corrections, retractions, new revisions and duplicates
            var generator = new RandomDevelopments(seed, 1 + seed % 20);
            List<Development> history = new ArrayList<>();
            int size = 10 + generator.random().nextInt(50);
            for (int i = 0; i < size; i++) {
                history.add(generator.next());
                Development some = history.get(generator.random().nextInt(history.size()));
                if (generator.chance(8)) {
                    history.add(generator.correction(some));
                } else if (generator.chance(10)) {
                    history.add(generator.retraction(some));
                } else if (generator.chance(12)) {
                    history.add(generator.revision(some));
                } else if (generator.chance(6)) {
                    history.add(some); // a duplicate
                }
            }
            // when it arrives in a random order, folded one by one
            List<Development> arrivals = new ArrayList<>(history);
            Collections.shuffle(arrivals, generator.random());
            NegotiationStatus incremental = incrementally(RandomDevelopments.NEGOTIATION, arrivals);

            // then it equals the view folded from scratch in event-time order (versions count changes: not compared)
            NegotiationStatus reference = StatusFold.fold(RandomDevelopments.NEGOTIATION, history);
            incremental.setVersion(reference.getVersion());
            assertThat(incremental).as("seed %d, arrivals %s", seed,
                    arrivals.stream().map(d -> d.getDevelopmentId() + "/" + d.getRevision()).toList()).isEqualTo(reference);
        }
    }

    @Test
    void shouldSayWhatEachChangedItemWasAndIsAsTheViewsShowIt() {
        // given a fold that has written items' JSON before (a group of statements mostly of statements it wrote before)
        var fold = StatusFold.inMemory();
        var generator = new RandomDevelopments(11, 20);
        List<Development> history = new ArrayList<>();
        NegotiationStatus view = StatusFold.empty(RandomDevelopments.NEGOTIATION);
        for (int i = 0; i < 1_500; i++) {
            Development d = history.isEmpty() || !generator.chance(8) ? generator.next()
                    : generator.correction(history.get(generator.random().nextInt(history.size())));
            history.add(d);

            // when it folds the next development
            StatusFold.Outcome outcome = fold.apply(view, d);

            // then each change's before and after are, as JSON, items of the views before and after
            for (Change change : outcome.changes()) {
                if (change.getKind() != ChangeKind.CORRECTION_APPLIED) {
                    assertThat(itemsAsJson(view)).as("step %d, %s before", i, change.getItem()).containsAnyOf(nullToEmpty(change.getBefore()));
                    assertThat(itemsAsJson(outcome.status())).as("step %d, %s after", i, change.getItem()).containsAnyOf(nullToEmpty(change.getAfter()));
                }
            }
            view = outcome.status();
        }
    }

    private static String nullToEmpty(String json) {
        return json == null ? "" : json;
    }

    /** Every item of a view as JSON, written afresh; and "" for an item that is not there. */
    private static List<String> itemsAsJson(NegotiationStatus view) {
        List<org.apache.avro.specific.SpecificRecord> items = new ArrayList<>();
        java.util.stream.Stream.of(view.getPhase(), view.getDecision()).filter(java.util.Objects::nonNull).forEach(items::add);
        java.util.stream.Stream.of(view.getMeetings(), view.getPositions(), view.getClaims(), view.getSupportMeasures(),
                view.getResolutions(), view.getStatements(), view.getStickingPoints()).forEach(items::addAll);
        List<String> json = new ArrayList<>(items.stream().map(dev.parley.schemas.json.AvroJson::toJsonString).toList());
        json.add("");
        return json;
    }

    @Test
    void shouldGiveTheSeedArticlesViewWhateverTheOrder() {
        List<Development> article = SampleDevelopments.all();
        NegotiationStatus expected = StatusFold.fold(NEGOTIATION, article);
        var random = new java.util.Random(20251201);
        for (int run = 0; run < 100; run++) {
            List<Development> arrivals = new ArrayList<>(article);
            Collections.shuffle(arrivals, random);
            NegotiationStatus view = incrementally(NEGOTIATION, arrivals);
            view.setVersion(expected.getVersion());
            assertThat(view).isEqualTo(expected);
        }
    }

    @Test
    void shouldEmitNoChangeForADuplicate() {
        StatusFold fold = StatusFold.inMemory();
        Development meeting = aDevelopment().id("moscow").meeting().in("Moscou").build();
        NegotiationStatus once = fold.apply(StatusFold.empty(NEGOTIATION), meeting).status();

        StatusFold.Outcome again = fold.apply(once, meeting);

        assertThat(again.changes()).isEmpty();
        assertThat(again.status()).isEqualTo(once);
    }

    @Test
    void shouldChangeTheViewAsIfALateDevelopmentHadArrivedInOrder() {
        // given a meeting held, then (late) the report that it had been scheduled, dated before
        Development held = aDevelopment().id("held").subject("meeting:florida").meeting().on("2025-12-06")
                .occurrence(Occurrence.OCCURRED).in("Floride").reportedAt("2025-12-06T20:00:00Z").build();
        Development scheduled = aDevelopment().id("scheduled").subject("meeting:florida").meeting().on("2025-12-03")
                .scheduled().in("Floride").reportedAt("2025-12-03T08:00:00Z").build();
        StatusFold fold = StatusFold.inMemory();
        NegotiationStatus afterHeld = fold.apply(StatusFold.empty(NEGOTIATION), held).status();

        // when the earlier one arrives last
        StatusFold.Outcome late = fold.apply(afterHeld, scheduled);

        // then the meeting stays held and its lineage lists both in event-time order
        assertThat(late.status().getMeetings()).singleElement().satisfies(m -> {
            assertThat(m.getOccurrence()).isEqualTo(Occurrence.OCCURRED);
            assertThat(m.getDevelopmentIds()).containsExactly("scheduled", "held");
        });
        assertThat(late.changes()).extracting(Change::getKind).containsExactly(ChangeKind.MEETING_UPDATED);
    }

    @Test
    void shouldReplaceACorrectedDevelopmentAndSaySo() {
        StatusFold fold = StatusFold.inMemory();
        NegotiationStatus status = fold.apply(StatusFold.empty(NEGOTIATION),
                aDevelopment().id("moscow").meeting().in("Moscou").build()).status();

        StatusFold.Outcome corrected = fold.apply(status,
                aDevelopment().id("moscow-fixed").corrects("moscow").meeting().in("Moscou, Kremlin").reportedAt("2025-12-03T08:00:00Z").build());

        assertThat(corrected.status().getMeetings()).singleElement().satisfies(m -> {
            assertThat(m.getPlace()).isEqualTo("Moscou, Kremlin");
            assertThat(m.getDevelopmentIds()).containsExactly("moscow-fixed");
        });
        assertThat(corrected.changes()).extracting(Change::getKind)
                .containsExactly(ChangeKind.ITEM_REMOVED, ChangeKind.MEETING_HELD, ChangeKind.CORRECTION_APPLIED);
    }

    @Test
    void shouldShowWhatWasKnownAtAnInstantWithoutLaterReportsOrCorrections() {
        // given a meeting reported on the 2nd, a correction of its place reported on the 4th, and a late report on the 5th
        Development moscow = aDevelopment().id("moscow").meeting().in("Moscou").on("2025-12-02").reportedAt("2025-12-02T18:00:00Z").build();
        Development fixed = aDevelopment().id("moscow-fixed").corrects("moscow").meeting().in("Moscou, Kremlin").on("2025-12-02")
                .reportedAt("2025-12-04T09:00:00Z").build();
        Development late = aDevelopment().id("florida").subject("meeting:florida").meeting().scheduled().in("Floride").on("2025-12-03")
                .reportedAt("2025-12-05T09:00:00Z").build();
        List<Development> all = List.of(moscow, fixed, late);

        // when / then: known on the 3rd: the uncorrected meeting only
        assertThat(StatusFold.asOf(NEGOTIATION, all, null, java.time.Instant.parse("2025-12-03T00:00:00Z")).getMeetings())
                .extracting(m -> m.getPlace()).containsExactly("Moscou");
        // known on the 4th: corrected
        assertThat(StatusFold.asOf(NEGOTIATION, all, null, java.time.Instant.parse("2025-12-04T12:00:00Z")).getMeetings())
                .extracting(m -> m.getPlace()).containsExactly("Moscou, Kremlin");
        // as of the 2nd, as known now: the corrected meeting, not the talks dated the 3rd
        assertThat(StatusFold.asOf(NEGOTIATION, all, java.time.LocalDate.parse("2025-12-02"), null).getMeetings())
                .extracting(m -> m.getPlace()).containsExactly("Moscou, Kremlin");
        // both bounds, and no bound at all
        assertThat(StatusFold.asOf(NEGOTIATION, all, java.time.LocalDate.parse("2025-12-03"), java.time.Instant.parse("2025-12-04T12:00:00Z"))
                .getMeetings()).extracting(m -> m.getPlace()).containsExactly("Moscou, Kremlin");
        assertThat(StatusFold.asOf(NEGOTIATION, all, null, null).getMeetings()).hasSize(2);
    }

    @Test
    void shouldNotBringBackACorrectedDevelopmentWhenItsCorrectionIsDatedLater() {
        // given a meeting first reported for the 2nd, corrected: it was in fact on the 5th
        Development reported = aDevelopment().id("talks").meeting().in("Riyad").on("2025-12-02").reportedAt("2025-12-02T18:00:00Z").build();
        Development actually = aDevelopment().id("talks-fixed").corrects("talks").meeting().in("Riyad").on("2025-12-05")
                .reportedAt("2025-12-06T09:00:00Z").build();

        // then as of the 3rd, as known now, no meeting had happened
        assertThat(StatusFold.asOf(NEGOTIATION, List.of(reported, actually), java.time.LocalDate.parse("2025-12-03"), null).getMeetings())
                .isEmpty();
    }

    private static NegotiationStatus incrementally(String negotiation, List<Development> arrivals) {
        StatusFold fold = StatusFold.inMemory();
        NegotiationStatus status = StatusFold.empty(negotiation);
        for (Development development : arrivals) {
            status = fold.apply(status, development).status();
        }
        return status;
    }
}
