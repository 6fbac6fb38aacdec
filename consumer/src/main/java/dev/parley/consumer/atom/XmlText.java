package dev.parley.consumer.atom;

/** Text made safe to write as XML 1.0 character data and to read back unchanged. */
final class XmlText {

    private static final int REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    /**
     * Replaces what XML 1.0 cannot hold at all (control characters, lone surrogates, U+FFFE/U+FFFF) with U+FFFD,
     * and line breaks with {@code \n}. The XML writer escapes {@code <}, {@code &} and {@code >} but would write
     * these as they are, leaving a feed no parser accepts; and a parser turns {@code \r\n} into {@code \n},
     * so normalising first keeps an entry equal to itself after a restart.
     */
    static String clean(String text) {
        if (text == null || isClean(text)) {
            return text; // nearly always: a feed's entries are cleaned again each time the feed is read
        }
        String lines = text.replace("\r\n", "\n").replace('\r', '\n');
        var clean = new StringBuilder(lines.length());
        lines.codePoints().forEach(c -> clean.appendCodePoint(allowed(c) ? c : REPLACEMENT));
        return clean.toString();
    }

    /** Whether {@link #clean} would leave the text as it is: no {@code \r}, and only characters XML 1.0 holds. */
    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < Character.MIN_SURROGATE || c == '\t' || c == '\n') {
                continue; // the common case, first
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: a code point from U+10000, which XML holds
                continue;
            }
            if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                return false;
            }
        }
        return true;
    }

    /** The {@code Char} production of XML 1.0, minus {@code \r} (already normalised). */
    private static boolean allowed(int c) {
        return c == '\t' || c == '\n'
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
