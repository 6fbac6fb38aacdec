package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.streams.StatusFold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class StatusPrinterTest {

    @Test
    void shouldPrintTheSeedArticleViewReadablyInEightyColumns() throws Exception {
        // given the view of the seed article
        var read = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()))
                .read(Files.newBufferedReader(Path.of("..", "samples", "ukraine-peace-2025.ndjson")), "samples");
        var status = StatusFold.fold("ukraine-peace-2025", read.developments());

        // when
        String text = StatusPrinter.render(status);

        // then
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(StatusPrinter.WIDTH));
        assertThat(text)
                .contains("Phase:    direct talks, since early December 2025")
                .contains("reached by proposal → consultations → direct talks")
                .contains("Donald Trump (US), early December 2025:")
                .contains("Decision: no formal decision announced (early December 2025)")
                .contains("- held, early December 2025, Moscou")
                .contains("- scheduled, early December 2025, Floride")
                .contains("- prise de la ville de Pokrovsk: contested")
                .contains("« transférés ou déportés de force »")
                .contains("(early December 2025, non-binding)");
    }
}
