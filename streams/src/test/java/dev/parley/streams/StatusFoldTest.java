package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusFoldTest {

    private static final String NEGOTIATION = "ukraine-peace-2025";

    @Test
    void shouldGiveTheSameViewForAnyArrivalOrderWithDuplicates() {
        // given the seed article's developments and the view folded from them in chronological order
        List<Development> article = SampleDevelopments.all();
        NegotiationStatus expected = StatusFold.fold(NEGOTIATION, article);
        Random random = new Random(20251201);

        for (int run = 0; run < 200; run++) {
            // when they arrive shuffled, some twice, and are folded one by one as the topology does
            List<Development> arrivals = new ArrayList<>(article);
            for (int i = 0; i < 5; i++) {
                arrivals.add(article.get(random.nextInt(article.size())));
            }
            Collections.shuffle(arrivals, random);
            NegotiationStatus view = incrementally(arrivals);

            // then the view is the same (the version counts changes, which depends on arrival order)
            view.setVersion(expected.getVersion());
            assertThat(view).as("arrival order %s", arrivals.stream().map(Development::getDevelopmentId).toList())
                    .isEqualTo(expected);
        }
    }

    private static NegotiationStatus incrementally(List<Development> arrivals) {
        Map<String, Development> seen = new HashMap<>();
        NegotiationStatus status = StatusFold.empty(NEGOTIATION);
        for (Development development : arrivals) {
            if (seen.putIfAbsent(development.getDevelopmentId(), development) == null) {
                status = StatusFold.apply(status, development, seen::get);
            }
        }
        return status;
    }
}
