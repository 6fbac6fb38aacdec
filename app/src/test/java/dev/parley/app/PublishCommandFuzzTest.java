package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.InputError;
import dev.parley.producer.InputFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code parley publish} itself on files of fuzzed lines (see {@link FuzzInputs}), with no Kafka near: each file
 * holds at least one bad line, so the command must stop before publishing, print every error with its line, say
 * that nothing was published, and exit 1 — never an exception's bare message.
 */
class PublishCommandFuzzTest {

    private static final String NO_KAFKA = "127.0.0.1:1";
    private static final byte[] BAD_LINE = "{\"development_id\": \"last\", oops}\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNameEveryBadLineOfAFileOfThousandsAndPublishNothing() throws Exception {
        // given one file of every fuzz input that is one line of UTF-8 text, then a bad line
        List<FuzzInputs.Input> inputs = FuzzInputs.all(DevelopmentInputFuzzTest.SEED);
        var bytes = new ByteArrayOutputStream();
        int lines = 0;
        for (FuzzInputs.Input input : inputs) {
            if (oneLineOfText(input.bytes())) {
                bytes.writeBytes(input.bytes());
                bytes.write('\n');
                lines++;
            }
        }
        bytes.writeBytes(BAD_LINE);
        Path file = dir.resolve("fuzz.ndjson");
        Files.write(file, bytes.toByteArray());
        DevelopmentReader.Result expected = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()))
                .read(new StringReader(Files.readString(file)), file.toString(), InputFormat.NDJSON);

        // when
        Run run = publish(file);

        // then every error is printed on a line of its own that names the file and the line it is about
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        List<String> errorLines = run.errLines().subList(0, run.errLines().size() - 1);
        assertThat(errorLines).hasSize(expected.errors().size())
                .allMatch(line -> line.startsWith(file + ":"), "every error names the file and line");
        assertThat(errorLines).extracting(line -> Integer.parseInt(line.substring(file.toString().length() + 1, line.indexOf(':', file.toString().length() + 1))))
                .containsExactlyElementsOf(expected.errors().stream().map(InputError::line).toList());
        assertThat(errorLines.get(errorLines.size() - 1)).startsWith(file + ":" + (lines + 1) + ": line: ");
        // and the last says nothing was published, with the counts
        assertThat(run.errLines().get(run.errLines().size() - 1)).isEqualTo("Nothing published: " + expected.errors().size()
                + " error(s) in " + expected.rejected() + " record(s) of " + file
                + ". Fix them and publish again, or publish the valid ones with --skip-invalid.");
        System.out.printf("Fuzzed parley publish: one file of %,d lines (%,d rejected, %,d valid)%n", lines + 1, expected.rejected(),
                expected.developments().size());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseEachBadFileWithItsLineAndPublishNothing() throws Exception {
        // given a file for every fuzz input of lines of developments or of invalid UTF-8, and for the first 150 mutated
        // ones that are not UTF-8 either (a command run costs milliseconds: the unit fuzz covers the rest), each with a
        // bad line at the end
        List<FuzzInputs.Input> all = FuzzInputs.all(DevelopmentInputFuzzTest.SEED);
        List<FuzzInputs.Input> inputs = new ArrayList<>(all.stream()
                .filter(input -> input.kind().equals("lines") || input.kind().equals("invalid UTF-8")).toList());
        all.stream().filter(input -> input.kind().equals("mutated") && !utf8(input.bytes())).limit(150).forEach(inputs::add);
        Pattern clear = Pattern.compile(Pattern.quote(dir.toString()) + "/fuzz-\\d+\\.ndjson:\\d+: .+");
        List<String> problems = new ArrayList<>();

        // when each is published
        for (int i = 0; i < inputs.size(); i++) {
            Path file = dir.resolve("fuzz-" + i + ".ndjson");
            byte[] content = inputs.get(i).bytes();
            Files.write(file, content);
            Files.write(file, BAD_LINE, StandardOpenOption.APPEND);
            Run run = publish(file);

            // then it stops with exit 1, each error names its line, and the last line says nothing was published
            List<String> err = run.errLines();
            boolean ok = run.exit() == 1 && run.out().isEmpty() && !err.isEmpty()
                    && err.get(err.size() - 1).startsWith("Nothing published: ")
                    && err.subList(0, err.size() - 1).stream().allMatch(line -> clear.matcher(line).matches());
            if (!ok) {
                String said = String.join(" | ", err);
                problems.add(inputs.get(i) + " -> exit " + run.exit() + ": " + said.substring(0, Math.min(300, said.length())));
            }
            Files.delete(file);
        }

        System.out.printf("Fuzzed parley publish: %,d files of several lines or not UTF-8%n", inputs.size());
        assertThat(inputs).hasSizeGreaterThan(400);
        assertThat(problems).isEmpty();
    }

    private record Run(int exit, String out, List<String> errLines) {
    }

    // One command line for all runs, as picocli resets every option before each: building one costs more than a run.
    private final CommandLine parley = Parley.commandLine();

    private Run publish(Path file) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = parley.setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", "--bootstrap-servers", NO_KAFKA, file.toString());
        return new Run(exit, out.toString(), err.toString().lines().toList());
    }

    private static boolean utf8(byte[] bytes) {
        try {
            PublishCommand.text(bytes, "input");
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean oneLineOfText(byte[] bytes) {
        try {
            String text = PublishCommand.text(bytes, "line");
            return !text.isBlank() && text.indexOf('\n') < 0 && text.indexOf('\r') < 0 && bytes.length < 100_000;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
