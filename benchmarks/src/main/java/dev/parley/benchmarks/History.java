package dev.parley.benchmarks;

import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.Development;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.streams.RandomDevelopments;
import dev.parley.streams.RewindableFold;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One negotiation's history of generated developments (about one a day, in random arrival order), folded, and
 * developments to fold into it next: in order (dated after all the others) or late (dated in its middle).
 */
final class History {

    static final String NEGOTIATION = "benchmark";

    /** How many different next developments a benchmark cycles through, so it measures no single one. */
    static final int NEXT = 64;

    final RewindableFold fold = new RewindableFold();
    final List<Development> developments;
    final NegotiationStatus status;
    private final RandomDevelopments generator;
    private final LocalDate lastDay;
    private final LocalDate middleDay;
    private final Instant lastReport;

    History(int size) {
        generator = new RandomDevelopments(20251201L + size, size, NEGOTIATION);
        developments = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Development d = generator.next();
            developments.add(d);
            fold.apply(d);
        }
        status = fold.view(NEGOTIATION);
        List<LocalDate> days = developments.stream().map(d -> d.getOccurredOn().getStart()).sorted().toList();
        lastDay = days.get(days.size() - 1);
        middleDay = days.get(days.size() / 2);
        lastReport = developments.stream().map(Development::getReportedAt).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** {@link #NEXT} new developments, none of them folded yet, as yet undated. */
    List<Development> next() {
        List<Development> next = new ArrayList<>(NEXT);
        for (int i = 0; i < NEXT; i++) {
            next.add(generator.next());
        }
        return next;
    }

    /** {@code d} dated the day after the latest development and reported after every other: in order. */
    Development inOrder(Development d, int i) {
        return dated(d, lastDay.plusDays(1), i);
    }

    /** {@code d} dated in the middle of the history but reported after every other development: late. */
    Development late(Development d, int i) {
        return dated(d, middleDay, i);
    }

    LocalDate lastDay() {
        return lastDay;
    }

    LocalDate middleDay() {
        return middleDay;
    }

    Instant lastReport() {
        return lastReport;
    }

    private Development dated(Development d, LocalDate day, int i) {
        return Development.newBuilder(d).setOccurredOn(new EventDate(day, DatePrecision.DAY))
                .setReportedAt(lastReport.plusSeconds(60L * (i + 1))).build();
    }
}
