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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
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
                "Reads newline-delimited JSON, a JSON array, YAML or CSV (the README lists the CSV columns); fields "
                        + "are those of schemas/src/main/avro/Development.avsc. Every record is checked first: if any "
                        + "is invalid, nothing is published and each error is printed with its line, field, value and "
                        + "what was expected — unless --skip-invalid is given. The same development twice in one input "
                        + "is published once. Ends with a summary; shows progress on large inputs."},
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
        AppSettings settings = kafka.settings();
        boolean stdin = "-".equals(file);
        String source = stdin ? "stdin" : file;

        String text;
        try {
            text = stdin ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("No such file: " + file);
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
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            int published = publish(publisher, result.developments(), err);
            out.println("Published " + published + " development(s) from " + source + " to " + Topics.DEVELOPMENTS + " on " + settings.kafka()
                    + ": " + published + " published, " + result.duplicates() + " duplicate(s) in the input, " + result.rejected() + " rejected.");
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "publish to", settings.kafka(), e);
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
