package dev.parley.app;

import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.Sink;
import dev.parley.consumer.TerminalSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sinks named on the command line: {@code file:PATH} (JSON lines) or {@code terminal}. */
final class Sinks {

    static final String FORMS = "file:PATH (JSON lines, one change per line) or terminal";

    private Sinks() {
    }

    static Sink parse(String spec) throws IOException {
        if (spec.startsWith("file:") && spec.length() > "file:".length()) {
            return new JsonLinesSink(Path.of(spec.substring("file:".length())));
        }
        if (spec.equals("terminal")) {
            return new TerminalSink(new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("--sink: \"" + spec + "\" is not a sink (expected " + FORMS + ")");
    }
}
