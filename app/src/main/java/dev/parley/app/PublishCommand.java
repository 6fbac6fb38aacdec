package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.InputError;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Topics;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley publish}: feeds developments from a file into the log of record, all or nothing. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {
                "Publishes developments from a file or standard input.", "",
                "Reads newline-delimited JSON, one development per line, fields as in "
                        + "schemas/src/main/avro/Development.avsc, and publishes them to " + Topics.DEVELOPMENTS + ". "
                        + "Every line is checked first: if any is invalid, nothing is published and each error is "
                        + "printed with its line, field, value and what was expected."},
        footer = {"", "Examples:", "  ./parley publish samples/ukraine-peace-2025.ndjson",
                "  cat new.ndjson | ./parley publish -", "", "Exit status: 0 published, 1 invalid input, 2 Kafka unreachable."})
final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "FILE|-", description = "The file to publish, or - for standard input.")
    String file;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.settings();

        DevelopmentReader.Result result;
        String source = "-".equals(file) ? "stdin" : file;
        try (Reader in = "-".equals(file)
                ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            result = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC())).read(in, source);
        } catch (NoSuchFileException e) {
            err.println("No such file: " + file);
            return 1;
        }
        if (!result.isValid()) {
            result.errors().stream().map(InputError::message).forEach(err::println);
            err.println("Nothing published: " + result.errors().size() + " error(s) in " + source + ". Fix them and publish again.");
            return 1;
        }
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            int published = publisher.publishAll(result.developments()).size();
            out.println("Published " + published + " development(s) from " + source + " to " + Topics.DEVELOPMENTS + " on " + settings.kafka() + ".");
            return 0;
        } catch (KafkaException e) {
            err.println("Could not publish to Kafka at " + settings.kafka() + ": " + e.getMessage());
            err.println("Is Parley running? Start it with ./parley up, or pass --bootstrap-servers.");
            return 2;
        }
    }
}
