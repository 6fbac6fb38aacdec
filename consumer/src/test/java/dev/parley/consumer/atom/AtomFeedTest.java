package dev.parley.consumer.atom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

class AtomFeedTest {

    private static final FeedEntry V2 = new FeedEntry(2, "v2: MEETING_HELD meeting:moscow-2025-12-02",
            Instant.parse("2025-12-02T18:00:00Z"), "1 change (v1 → v2) caused by moscow-meeting.",
            List.of("MEETING_HELD"), "MEETING_HELD meeting:moscow-2025-12-02\r\n  after: {\"summary\":\"a < b & c\"}\r  before: (new)");
    private static final FeedEntry V1 = new FeedEntry(1, "v1: PHASE_CHANGED phase", Instant.parse("2025-12-01T09:30:00.250Z"),
            "1 change (v0 → v1).", List.of("PHASE_CHANGED", "OTHER"), "PHASE_CHANGED phase\n  after: \"TALKS\"\n  before: (new)");

    @Test
    void shouldReadBackTheEntriesItRendered() throws Exception {
        // given a feed of two entries, one with Windows and old Mac line breaks
        String feed = AtomFeed.render("ukraine-peace-2025", null, List.of(V2, V1));

        // when
        List<FeedEntry> entries = read("ukraine-peace-2025", feed);

        // then they are the same entries, line breaks as a parser gives them back
        assertThat(entries).containsExactly(V2, V1);
        assertThat(entries.get(0).content()).isEqualTo(
                "MEETING_HELD meeting:moscow-2025-12-02\n  after: {\"summary\":\"a < b & c\"}\n  before: (new)");
    }

    @Test
    void shouldRefuseAFeedOfAnotherNegotiation() {
        // given a feed written for another negotiation
        String feed = AtomFeed.render("gaza-ceasefire", null, List.of(V1));

        // when / then
        assertThatThrownBy(() -> read("ukraine-peace-2025", feed))
                .isInstanceOf(XMLStreamException.class)
                .hasMessageContaining("entry tag:parley.dev,2025:negotiation/gaza-ceasefire/v1 is not a status change of ukraine-peace-2025");
    }

    private static List<FeedEntry> read(String negotiationId, String feed) throws XMLStreamException {
        return AtomFeed.read(negotiationId, new ByteArrayInputStream(feed.getBytes(StandardCharsets.UTF_8)));
    }
}
