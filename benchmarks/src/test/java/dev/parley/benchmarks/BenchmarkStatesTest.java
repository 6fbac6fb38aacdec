package dev.parley.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.streams.StatusFold;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkStatesTest {

    @Test
    void shouldFoldTheHistoryAndDateTheNextDevelopmentsAfterItOrInItsMiddle() {
        // given
        var benchmark = new FoldBenchmark();
        benchmark.history = 1_000;

        // when
        benchmark.foldHistory();

        // then
        History negotiation = benchmark.negotiation;
        assertThat(negotiation.developments).hasSize(1_000);
        assertThat(withoutVersion(negotiation.status)).isEqualTo(withoutVersion(
                StatusFold.fold(History.NEGOTIATION, negotiation.developments)));
        for (int i = 0; i < History.NEXT; i++) {
            assertThat(benchmark.inOrder[i].getOccurredOn().getStart()).isAfter(negotiation.lastDay());
            assertThat(benchmark.late[i].getOccurredOn().getStart()).isEqualTo(negotiation.middleDay())
                    .isBefore(negotiation.lastDay());
            assertThat(benchmark.late[i].getReportedAt()).isAfter(negotiation.lastReport());
        }
    }

    @Test
    void shouldFoldEachNextDevelopmentIntoTheSameHistoryAgainAndAgain() {
        // given
        var benchmark = new FoldBenchmark();
        benchmark.history = 1_000;
        benchmark.foldHistory();
        History negotiation = benchmark.negotiation;

        for (int i = 0; i < History.NEXT; i++) {
            // when one late development is folded, taken back and folded again
            StatusFold.Outcome first = benchmark.lateDevelopment();
            benchmark.takeBack();
            for (int j = 1; j < History.NEXT; j++) { // the benchmark goes round all the others first
                benchmark.lateDevelopment();
                benchmark.takeBack();
            }
            StatusFold.Outcome again = benchmark.lateDevelopment();
            benchmark.takeBack();

            // then both give the view of the history with that development, and the same changes
            List<Development> withIt = new ArrayList<>(negotiation.developments);
            withIt.add(benchmark.late[i]);
            assertThat(withoutVersion(first.status())).isEqualTo(withoutVersion(StatusFold.fold(History.NEGOTIATION, withIt)));
            assertThat(again).isEqualTo(first);
        }
    }

    /** Versions count changes, so an incremental fold and the reference differ there: not compared. */
    private static NegotiationStatus withoutVersion(NegotiationStatus status) {
        return NegotiationStatus.newBuilder(status).setVersion(0).build();
    }
}
