package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.InputError;
import dev.parley.producer.InputFormat;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley publish}: feeds developments from a file into the log of record, all or nothing by default. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {
                "Publishes developments from a file or standard input.", "",
                "Reads newline-delimited JSON, a JSON array, YAML or CSV (docs/feeding.md lists the CSV columns); fields "
                        + "are those of schemas/src/main/avro/Development.avsc. Every record is checked first: if any "
                        + "is invalid, nothing is published and each error is printed with its line, field, value and "
                        + "what was expected — unless --skip-invalid is given. The same development twice in one input "
                        + "is published once, and a development whose revision is already on the log is not published "
                        + "again: publishing a file twice adds nothing. Ends with a summary; shows progress on large inputs."},
        footer = {"", "Examples:", "  ./parley publish samples/ukraine-peace-2025.ndjson",
                "  ./parley publish --skip-invalid --rejects rejects.txt developments.csv",
                "  cat new.json | ./parley publish -", "",
                "Exit status: 0 published, 1 invalid input (nothing published), 2 Kafka unreachable."})
final class PublishCommand implements Callable<Integer> {

    /** Inputs larger than this show progress while publishing. */
    private static final int PROGRESS_EVERY = 5_000;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "FILE|-", description = "The file to publish, or - for standard input.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "ndjson, json, yaml or csv (default: from the file name; for standard input, JSON or NDJSON by the first character).")
    InputFormat format;

    @Option(names = "--skip-invalid", description = "Publish the valid records and write the rejected ones' errors to the rejects file.")
    boolean skipInvalid;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Where --skip-invalid writes the errors (default: FILE.rejects.txt, or rejects.txt for standard input).")
    Path rejects;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.commandSettings();
        boolean stdin = "-".equals(file);
        String source = stdin ? "stdin" : file;

        String text;
        try {
            text = text(stdin ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file)), source);
        } catch (NoSuchFileException e) {
            err.println("No such file: " + file);
            return 1;
        } catch (CharacterCodingException e) {
            err.println(e.getMessage());
            err.println("Nothing published: " + source + " is not UTF-8 text. Save it as UTF-8 (e.g. iconv -f latin1 -t utf-8) and publish again.");
            return 1;
        }
        InputFormat chosen = format != null ? format : stdin ? sniff(text) : InputFormat.fromFileName(file).orElse(null);
        if (chosen == null) {
            err.println("Cannot tell the format of " + source + ": give --format ndjson, json, yaml or csv.");
            return 1;
        }
        DevelopmentReader.Result result;
        try (Reader in = new StringReader(text)) {
            result = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC())).read(in, source, chosen);
        }
        if (!result.isValid()) {
            result.errors().stream().map(InputError::message).forEach(err::println);
            if (!skipInvalid) {
                err.println("Nothing published: " + result.errors().size() + " error(s) in " + result.rejected() + " record(s) of "
                        + source + ". Fix them and publish again, or publish the valid ones with --skip-invalid.");
                return 1;
            }
            Path report = rejects != null ? rejects : Path.of(stdin ? "rejects.txt" : file + ".rejects.txt");
            writeRejects(report, result.errors());
            err.println(result.rejected() + " record(s) rejected; their errors are in " + report + ".");
        }
        try {
            // Asked first: a refused login or a missing ACL is said at once, whatever else would have failed.
            KafkaAccess.requireWrite(settings.kafkaClient(), Topics.DEVELOPMENTS);
            ensureTopics(settings);
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "publish to", settings.kafka(), e);
        }
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            List<Development> fresh = notOnTheLog(settings, result.developments(), err);
            int published = publish(publisher, fresh, err);
            out.println("Published " + published + " development(s) from " + source + " to " + Topics.DEVELOPMENTS + " on " + settings.kafka()
                    + ": " + published + " published, " + (result.developments().size() - fresh.size()) + " already on the log, "
                    + result.duplicates() + " duplicate(s) in the input, " + result.rejected() + " rejected.");
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "publish to", settings.kafka(), e);
        }
    }

    /**
     * The developments whose revision the log of record does not hold yet (nor a later one): publishing a file again
     * adds nothing, as the HTTP intake answers {@code duplicate}. Reads the log, decoding only the input's negotiations.
     */
    private static List<Development> notOnTheLog(AppSettings settings, List<Development> developments, PrintWriter err) {
        var negotiations = new java.util.HashSet<String>();
        developments.forEach(d -> negotiations.add(d.getNegotiationId()));
        var progress = new ProgressLine(err);
        var onTheLog = TopicSnapshot.revisions(settings.kafkaClient(), negotiations, java.time.Duration.ofSeconds(30), seen -> {
            if (seen.total() > PROGRESS_EVERY) {
                progress.update(seen.done(), seen.total());
            }
        });
        progress.done();
        return developments.stream().filter(d -> onTheLog.getOrDefault(d.getNegotiationId(), Map.of())
                .getOrDefault(d.getDevelopmentId(), 0) < d.getRevision()).toList();
    }

    /**
     * Creates Parley's topics if they are missing, as {@code parley up} does. Left to the broker, the first write would
     * create the log of record with the broker's defaults (one partition, retention 7 days), and since a record carries
     * the time its development was reported, the broker would soon delete every development reported over a week ago.
     */
    private static void ensureTopics(AppSettings settings) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(settings.kafkaClient());
        // As long as the producer waits for Kafka (its max.block.ms); the admin client wants no call shorter than a request.
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, config.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG));
        try (Admin admin = Admin.create(config)) {
            TopicSetup.ensure(admin, settings.partitions(), settings.replicationFactor(), settings.minInsyncReplicas());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
        }
    }

    /** Publishes in chunks so a large input shows progress; each chunk is acknowledged before the next. */
    private static int publish(DevelopmentPublisher publisher, List<Development> developments, PrintWriter err) throws InterruptedException {
        var progress = new ProgressLine(err);
        int done = 0;
        while (done < developments.size()) {
            List<Development> chunk = developments.subList(done, Math.min(developments.size(), done + PROGRESS_EVERY));
            done += publisher.publishAll(chunk).size();
            if (developments.size() > PROGRESS_EVERY) {
                progress.update(done, developments.size());
            }
        }
        progress.done();
        return done;
    }

    /**
     * The input as text: UTF-8, without a byte order mark. Bytes that are not UTF-8 are an error naming the line and
     * the byte, never replaced by '?' or U+FFFD, which would publish text other than what the file says.
     */
    static String text(byte[] bytes, String source) throws CharacterCodingException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new NotUtf8Exception(source + ":" + line + ": not UTF-8 text (byte " + String.format("0x%02X", bytes[at] & 0xFF)
                    + " at byte " + (at + 1) + " of the input cannot start or continue a UTF-8 character)");
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Input that is not UTF-8, with where. */
    static final class NotUtf8Exception extends CharacterCodingException {
        private final String message;

        NotUtf8Exception(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private static InputFormat sniff(String text) {
        String start = text.stripLeading();
        if (start.startsWith("[")) {
            return InputFormat.JSON;
        }
        return start.startsWith("{") ? InputFormat.NDJSON : null;
    }

    private static void writeRejects(Path report, List<InputError> errors) throws IOException {
        Files.write(report, errors.stream().map(InputError::message).toList(), StandardCharsets.UTF_8);
    }
}
