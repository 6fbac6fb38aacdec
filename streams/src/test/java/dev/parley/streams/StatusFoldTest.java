package dev.parley.streams;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.ActorRole;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentType;
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
            var generator = new RandomDevelopments(seed, 1 + seed % 20);
            assertAgreesWithTheReference(seed, generator, history(generator, 10 + generator.random().nextInt(50)), ViewBounds.DEFAULT);
        }
    }

    /**
     * Small bounds and long histories: every list and window full, items leaving and re-entering the view, and
     * corrections and retractions aimed at what the view shows.
     */
    @Test
    void shouldAgreeWithTheReferenceFoldWhenListsAndWindowsAreFull() {
        ViewBounds small = new ViewBounds(3, 2, 3, 256 * 1024);
        for (int seed = 0; seed < 40; seed++) {
            var generator = new RandomDevelopments(1_000 + seed, 1 + seed % 30);
            List<Development> history = history(generator, 300 + generator.random().nextInt(700));
            // corrections and retractions of the developments behind what the reference view shows
            NegotiationStatus shown = StatusFold.fold(RandomDevelopments.NEGOTIATION, history, small);
            List<String> shownIds = lineage(shown);
            for (int i = 0; i < 30 && !shownIds.isEmpty(); i++) {
                String id = shownIds.get(generator.random().nextInt(shownIds.size()));
                Development target = history.stream().filter(d -> d.getDevelopmentId().equals(id)).findFirst().orElseThrow();
                history.add(generator.chance(2) ? generator.correction(target) : generator.retraction(target));
            }
            assertAgreesWithTheReference(seed, generator, history, small);
        }
    }

    @Test
    void shouldPutTheSameViewTogetherFromItsStorageAfterARestartAndFoldOnFromThere() {
        // given a long history folded with small bounds over storage that outlives the fold, as stores outlive a task
        ViewBounds small = new ViewBounds(3, 2, 3, 256 * 1024);
        var generator = new RandomDevelopments(77, 20);
        List<Development> history = history(generator, 600);
        SortedKeyValues<Development> developments = SortedKeyValues.inMemory();
        SortedKeyValues<String> superseded = SortedKeyValues.inMemory();
        SortedKeyValues<String> index = SortedKeyValues.inMemory();
        SortedKeyValues<dev.parley.schemas.StoredItem> items = SortedKeyValues.inMemory();
        SortedKeyValues<String> ranks = SortedKeyValues.inMemory();
        SortedKeyValues<dev.parley.schemas.StoredView> views = SortedKeyValues.inMemory();
        java.util.function.Supplier<StatusFold> restarted = () -> new StatusFold(new DevelopmentIndex(developments, superseded, index),
                new ItemStore(items, ranks, views, small), small);
        StatusFold before = restarted.get();
        history.subList(0, 400).forEach(before::apply);

        // when a new fold starts over the same storage, with nothing in memory
        StatusFold after = restarted.get();

        // then it reads the same view back, and folding on gives the reference's view of the whole history
        assertThat(after.view(RandomDevelopments.NEGOTIATION)).isEqualTo(before.view(RandomDevelopments.NEGOTIATION));
        history.subList(400, history.size()).forEach(after::apply);
        NegotiationStatus folded = after.view(RandomDevelopments.NEGOTIATION);
        assertThat(folded).isEqualTo(withVersion(StatusFold.fold(RandomDevelopments.NEGOTIATION, history, small), folded.getVersion()));
    }

    @Test
    void shouldKeepAViewOfThousandsOfStatementsWithoutASubjectSmall() {
        // given 5,000 statements without a subject by two parties
        StatusFold fold = StatusFold.inMemory();
        List<Development> history = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            history.add(aDevelopment().id("s" + i).type(DevelopmentType.STATEMENT)
                    .actor("Speaker " + (i % 2), ActorRole.OFFICIAL, i % 2 == 0 ? "RU" : "UA")
                    .summary("x".repeat(600)).on("2025-12-0" + (1 + i % 9)).reportedAt("2025-12-10T00:00:00Z").build());
        }

        // when they are folded
        history.forEach(fold::apply);

        // then they make two groups of statements, each showing its latest few and counting them all
        NegotiationStatus view = fold.view(NEGOTIATION);
        assertThat(view.getStatements()).extracting(g -> g.getSubject()).containsExactlyInAnyOrder("said:RU/general", "said:UA/general");
        assertThat(view.getStatements()).allSatisfy(group -> {
            assertThat(group.getStatements()).hasSize(ViewBounds.DEFAULT.statementsShown());
            assertThat(group.getStatementCount()).isEqualTo(2_500);
        });
        assertThat(dev.parley.schemas.AvroSerde.of(NegotiationStatus.class).serialize("t", view).length).isLessThan(16 * 1024);
        assertThat(view).isEqualTo(withVersion(StatusFold.fold(NEGOTIATION, history), view.getVersion()));
    }

    private static List<Development> history(RandomDevelopments generator, int size) {
        List<Development> history = new ArrayList<>();
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
        return history;
    }

    private static void assertAgreesWithTheReference(int seed, RandomDevelopments generator, List<Development> history, ViewBounds bounds) {
        // when it arrives in a random order, folded one by one
        List<Development> arrivals = new ArrayList<>(history);
        Collections.shuffle(arrivals, generator.random());
        StatusFold fold = StatusFold.inMemory(bounds);
        arrivals.forEach(fold::apply);
        NegotiationStatus incremental = fold.view(RandomDevelopments.NEGOTIATION);

        // then it equals the view folded from scratch in event-time order (versions count changes: not compared)
        NegotiationStatus reference = StatusFold.fold(RandomDevelopments.NEGOTIATION, history, bounds);
        assertThat(incremental).as("seed %d, %d arrivals %s", seed, arrivals.size(),
                arrivals.stream().limit(200).map(d -> d.getDevelopmentId() + "/" + d.getRevision()).toList())
                .isEqualTo(withVersion(reference, incremental.getVersion()));
    }

    /** The ids of the developments behind the items a view shows. */
    private static List<String> lineage(NegotiationStatus view) {
        List<String> ids = new ArrayList<>();
        view.getMeetings().forEach(m -> ids.addAll(m.getDevelopmentIds()));
        view.getSupportMeasures().forEach(m -> ids.addAll(m.getDevelopmentIds()));
        view.getPositions().forEach(p -> ids.addAll(p.getDevelopmentIds()));
        view.getStatements().forEach(g -> g.getStatements().forEach(st -> ids.add(st.getDevelopmentId())));
        view.getClaims().forEach(c -> c.getStances().forEach(st -> ids.add(st.getDevelopmentId())));
        return ids;
    }

    private static NegotiationStatus withVersion(NegotiationStatus view, long version) {
        NegotiationStatus copy = NegotiationStatus.newBuilder(view).build();
        copy.setVersion(version);
        return copy;
    }

    @Test
    void shouldSayWhatEachChangedItemWasAndIsAsTheViewsShowIt() {
        // given a fold that has written items' JSON before (a group of statements mostly of statements it wrote before),
        // with lists long enough to show every item
        var fold = StatusFold.inMemory(new ViewBounds(1_000, 3, 20, 1 << 20));
        var generator = new RandomDevelopments(11, 20);
        List<Development> history = new ArrayList<>();
        NegotiationStatus view = StatusFold.empty(RandomDevelopments.NEGOTIATION);
        for (int i = 0; i < 1_500; i++) {
            Development d = history.isEmpty() || !generator.chance(8) ? generator.next()
                    : generator.correction(history.get(generator.random().nextInt(history.size())));
            history.add(d);

            // when it folds the next development
            StatusFold.Outcome outcome = fold.apply(d);

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
            assertThat(view).isEqualTo(withVersion(expected, view.getVersion()));
        }
    }

    @Test
    void shouldEmitNoChangeForADuplicate() {
        StatusFold fold = StatusFold.inMemory();
        Development meeting = aDevelopment().id("moscow").meeting().in("Moscou").build();
        NegotiationStatus once = fold.apply(meeting).status();

        StatusFold.Outcome again = fold.apply(meeting);

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
        fold.apply(held);

        // when the earlier one arrives last
        StatusFold.Outcome late = fold.apply(scheduled);

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
        fold.apply(aDevelopment().id("moscow").meeting().in("Moscou").build());

        StatusFold.Outcome corrected = fold.apply(aDevelopment().id("moscow-fixed").corrects("moscow").meeting().in("Moscou, Kremlin").reportedAt("2025-12-03T08:00:00Z").build());

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
        arrivals.forEach(fold::apply);
        return fold.view(negotiation);
    }
}
