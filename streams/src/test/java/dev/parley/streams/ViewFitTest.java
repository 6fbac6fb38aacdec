package dev.parley.streams;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import org.junit.jupiter.api.Test;

class ViewFitTest {

    private static final AvroSerde<NegotiationStatus> AVRO = AvroSerde.of(NegotiationStatus.class);

    @Test
    void shouldDropTheOldestItemsShownUntilAViewOfLargeItemsFitsItsBound() {
        // given 25 meetings of about 60 kB each, on consecutive days: a view of about 1.5 MB
        StatusFold fold = StatusFold.inMemory();
        for (int day = 1; day <= 25; day++) {
            fold.apply(aDevelopment().id("meeting-" + day).meeting().in("Place " + day)
                    .on(String.format("2025-12-%02d", day)).summary("x".repeat(60_000)).build());
        }
        NegotiationStatus view = fold.view("ukraine-peace-2025");
        assertThat(size(view)).isGreaterThan(ViewBounds.DEFAULT.maxViewBytes());

        // when it is fitted
        NegotiationStatus fitted = ViewFit.fit(view);

        // then it is under the bound, with the latest meetings, as many as fit, and the counts of them all
        assertThat(size(fitted)).isLessThanOrEqualTo(ViewBounds.DEFAULT.maxViewBytes());
        assertThat(fitted.getMeetings()).extracting(MeetingState::getPlace).containsExactly("Place 22", "Place 23", "Place 24", "Place 25");
        assertThat(fitted.getItemCounts().getMeetings()).isEqualTo(25);
        assertThat(ViewFit.fit(fitted)).isSameAs(fitted);
    }

    @Test
    void shouldLeaveAViewThatFitsAsItIs() {
        NegotiationStatus view = StatusFold.fold("ukraine-peace-2025", SampleDevelopments.all());

        assertThat(ViewFit.fit(view)).isSameAs(view);
        assertThat(size(view)).isLessThan(16 * 1024);
    }

    private static int size(NegotiationStatus view) {
        return AVRO.serialize(Topics.STATUS, view).length;
    }
}
