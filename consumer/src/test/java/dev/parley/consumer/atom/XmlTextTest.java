package dev.parley.consumer.atom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XmlTextTest {

    /** Characters around every edge of what XML 1.0 holds, and ordinary text. */
    private static final char[] ALPHABET = {'a', 'é', '«', '\t', '\n', '\r', '\u0000', '\u001f', ' ', '\ud7ff', '\ud800',
            '\udbff', '\udc00', '\udfff', '\ue000', '\ufffd', '\ufffe', '\uffff', '<', '&'};

    @Test
    void shouldCleanTextAsTheCodePointByCodePointRuleDoes() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            var text = new StringBuilder();
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            assertThat(XmlText.clean(text.toString())).as("cleaning %s", text.codePoints().boxed().toList())
                    .isEqualTo(reference(text.toString()));
        }
        assertThat(XmlText.clean("v3: MEETING_HELD « très bonne » \ud83d\ude00")).isEqualTo("v3: MEETING_HELD « très bonne » \ud83d\ude00");
        assertThat(XmlText.clean("a\r\nb\rc\u0001")).isEqualTo("a\nb\nc\ufffd");
    }

    /** The rule, written plainly: line breaks to \n, then every code point XML 1.0 cannot hold to U+FFFD. */
    private static String reference(String text) {
        String lines = text.replace("\r\n", "\n").replace('\r', '\n');
        var clean = new StringBuilder();
        lines.codePoints().forEach(c -> clean.appendCodePoint(c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF) ? c : 0xFFFD));
        return clean.toString();
    }
}
