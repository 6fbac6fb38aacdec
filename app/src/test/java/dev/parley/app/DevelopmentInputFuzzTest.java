package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.InputError;
import dev.parley.producer.InputFormat;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import dev.parley.schemas.json.FieldError;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of generated inputs (see {@link FuzzInputs}) through the paths developments come in by: the HTTP body
 * reader of {@code POST /api/developments} and the file readers of {@code parley publish} (NDJSON, JSON, YAML, CSV).
 * Every input must end as valid developments that Kafka accepts and every reader reads back unchanged, or as errors
 * that each name a field (and, in a file, a line) and what was expected, in a few lines; never as an exception.
 */
class DevelopmentInputFuzzTest {

    static final long SEED = 20_251_202L;
    /** A clear error is a line or two, whatever the input: no 1 MB value echoed back. */
    static final int MAX_MESSAGE_CHARS = 1_000;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ObjectReader ONE_DOCUMENT = AvroJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final DevelopmentValidator validator = new DevelopmentValidator(CLOCK);
    private final DevelopmentReader reader = new DevelopmentReader(validator);
    private final AvroSerde<Development> serde = AvroSerde.of(Development.class);
    private final MockProducer<String, Development> producer = new MockProducer<>(true, null, new StringSerializer(), serde);
    private final DevelopmentPublisher publisher = new DevelopmentPublisher(producer);
    private final Findings findings = new Findings();
    private int accepted;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldTurnEveryInputIntoPublishableDevelopmentsOrClearErrors() {
        // given
        List<FuzzInputs.Input> inputs = FuzzInputs.all(SEED);
        Map<String, Integer> tries = new LinkedHashMap<>();
        long start = System.nanoTime();

        // when each goes through each reader that takes its kind
        for (FuzzInputs.Input input : inputs) {
            boolean json = !input.kind().equals("YAML") && !input.kind().equals("CSV");
            if (json) {
                attempt(tries, "HTTP body", input, () -> httpBody(input));
                attempt(tries, "NDJSON file", input, () -> file(input, InputFormat.NDJSON));
                if (!input.kind().equals("lines")) {
                    attempt(tries, "JSON file", input, () -> file(input, InputFormat.JSON));
                }
            }
            if (input.kind().equals("YAML") || input.kind().equals("top level") || input.kind().equals("deep")
                    || input.kind().equals("valid") || input.kind().equals("mutated") && input.description().endsWith("0")) {
                attempt(tries, "YAML file", input, () -> file(input, InputFormat.YAML));
            }
            if (input.kind().equals("CSV") || input.kind().equals("top level")) {
                attempt(tries, "CSV file", input, () -> file(input, InputFormat.CSV));
            }
        }

        // then
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        Map<String, Long> kinds = new LinkedHashMap<>();
        inputs.forEach(input -> kinds.merge(input.kind(), 1L, Long::sum));
        int total = tries.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("Fuzzed development input: %,d generated inputs (seed %d) %s; %,d reads %s in %d s; "
                        + "%,d accepted as developments over HTTP, the rest refused; %d kind(s) of problem%n",
                inputs.size(), SEED, kinds, total, tries, seconds, accepted, findings.kinds());
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(findings.report()).isEmpty();
    }

    // ---- the paths ----

    private List<String> httpBody(FuzzInputs.Input input) {
        List<String> problems = new ArrayList<>();
        DevelopmentsEndpoint.Batch batch = DevelopmentsEndpoint.read(input.bytes(), validator);
        if (input.kind().equals("valid") && batch.errorCount() > 0) {
            problems.add("a valid development refused: " + batch.errors().get(0).error().message());
        }
        if (batch.errorCount() == 0) {
            accepted++;
            if (batch.developments().isEmpty()) {
                problems.add("neither developments nor errors");
            }
            if (!oneJsonDocument(input.bytes())) {
                problems.add("accepted, though the body is not one JSON document (something after it was ignored)");
            }
            batch.developments().forEach(d -> problems.addAll(publishable(d)));
        } else {
            if (batch.errors().isEmpty() || batch.errors().size() > DevelopmentsEndpoint.MAX_LISTED_ERRORS) {
                problems.add("lists " + batch.errors().size() + " of its " + batch.errorCount() + " errors");
            }
            for (DevelopmentsEndpoint.IndexedError error : batch.errors()) {
                problems.addAll(clear(error.error()));
            }
        }
        return problems;
    }

    private List<String> file(FuzzInputs.Input input, InputFormat format) throws Exception {
        String text;
        try {
            text = PublishCommand.text(input.bytes(), "fuzz"); // as parley publish reads a file or standard input
        } catch (CharacterCodingException e) {
            return e.getMessage().matches("fuzz:\\d+: not UTF-8 text \\(byte 0x[0-9A-F]{2} at byte \\d+ .*")
                    ? List.of() : List.of("not UTF-8, and not said where: " + kindOf(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        DevelopmentReader.Result result = reader.read(new StringReader(text), "fuzz." + format.name().toLowerCase(), format);
        if (format == InputFormat.NDJSON) {
            long records = text.lines().filter(line -> !line.isBlank()).count();
            if (result.developments().size() + result.duplicates() + result.rejected() != records) {
                problems.add("not every line is accounted for as a development, a duplicate or a rejected record");
            }
        }
        for (InputError error : result.errors()) {
            if (error.line() < 1) {
                problems.add("an error without a line (" + kindOf(error.error().expected()) + ")");
            }
            problems.addAll(clear(error.error()));
        }
        if (format == InputFormat.NDJSON) {
            Set<Integer> rejected = new TreeSet<>();
            result.errors().forEach(error -> rejected.add(error.line()));
            String[] lines = text.split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank() && !oneJsonDocument(lines[i].getBytes(StandardCharsets.UTF_8)) && !rejected.contains(i + 1)) {
                    problems.add("a line that is not one JSON document was not rejected");
                }
            }
        }
        result.developments().forEach(d -> problems.addAll(publishable(d)));
        return problems;
    }

    // ---- what every outcome must be ----

    /** Kafka takes it, and every reader of the topic reads back exactly what was accepted. */
    private List<String> publishable(Development development) {
        List<String> problems = new ArrayList<>();
        try {
            publisher.publish(development).join();
            byte[] bytes = serde.serialize(Topics.DEVELOPMENTS, development);
            if (bytes.length > DevelopmentValidator.MAX_ENCODED_BYTES) {
                problems.add("accepted, but " + bytes.length + " bytes on the topic: more than its view has room for");
            }
            Development read = serde.deserialize(Topics.DEVELOPMENTS, bytes);
            if (!read.equals(development)) {
                problems.add("accepted, but reads back from the topic differently");
            }
        } catch (RuntimeException e) {
            problems.add("accepted, but cannot be published and read back: " + e.getClass().getSimpleName() + ": " + kindOf(e.getMessage()));
        } finally {
            producer.clear();
        }
        text(AvroJson.toJson(development), "", problems);
        return problems;
    }

    /**
     * Text fit for every sink and screen: no NUL (PostgreSQL's TEXT and JSONB refuse it), no other control character
     * than tab and line breaks (a terminal obeys escape sequences), no half of a surrogate pair (it cannot be UTF-8).
     */
    private static void text(JsonNode json, String path, List<String> problems) {
        if (json.isTextual()) {
            String value = json.textValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F;
                boolean loneSurrogate = Character.isHighSurrogate(c) ? i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))
                        : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
                if (control || loneSurrogate) {
                    problems.add("accepted, with " + (control ? "a control character" : "half a surrogate pair") + " in a text field");
                    return;
                }
            }
        } else if (json.isContainerNode()) {
            json.forEach(child -> text(child, path, problems));
        }
    }

    /** Names the field and what was expected, briefly. */
    private static List<String> clear(FieldError error) {
        List<String> problems = new ArrayList<>();
        if (error.field() == null || error.field().isBlank()) {
            problems.add("an error without a field");
        }
        if (error.expected() == null || error.expected().isBlank()) {
            problems.add("an error without what was expected");
        }
        if (error.message().length() > MAX_MESSAGE_CHARS) {
            problems.add("an error message of more than " + MAX_MESSAGE_CHARS + " characters (field " + kindOf(error.field()) + ")");
        }
        return problems;
    }

    private static boolean oneJsonDocument(byte[] bytes) {
        try {
            ONE_DOCUMENT.readTree(bytes);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- bookkeeping ----

    private interface Check {
        List<String> run() throws Exception;
    }

    private void attempt(Map<String, Integer> tries, String path, FuzzInputs.Input input, Check check) {
        tries.merge(path, 1, Integer::sum);
        try {
            check.run().forEach(problem -> findings.add(path, problem, input));
        } catch (Throwable e) { // StackOverflowError and OutOfMemoryError included: they are what a fuzz looks for
            findings.add(path, "throws " + e.getClass().getName() + ": " + kindOf(e.getMessage()), input);
        }
    }

    /** The start of a message, without the parts that differ per input, so that findings group by kind. */
    private static String kindOf(String message) {
        if (message == null) {
            return "null";
        }
        String start = message.length() > 80 ? message.substring(0, 80) : message;
        return start.replaceAll("\\d+", "N").replaceAll("\\s+", " ");
    }

    /** Problems grouped by path and kind, each with how often it happened and the first input that showed it. */
    private static final class Findings {
        private final Map<String, List<Object>> byKind = new LinkedHashMap<>();

        void add(String path, String problem, FuzzInputs.Input input) {
            byKind.computeIfAbsent(path + ": " + problem, k -> new ArrayList<>(List.of(0, input)))
                    .set(0, (Integer) byKind.get(path + ": " + problem).get(0) + 1);
        }

        int kinds() {
            return byKind.size();
        }

        List<String> report() {
            List<String> lines = new ArrayList<>();
            byKind.forEach((kind, seen) -> lines.add(kind + " — " + seen.get(0) + " time(s), first: " + seen.get(1)));
            return lines;
        }
    }
}
