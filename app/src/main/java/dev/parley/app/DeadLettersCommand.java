package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.FieldError;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley dead-letters}: the records the topology could not read or fold, and why. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Lists the records the status topology could not read or fold, and why.", "",
                "Each record on parley.dead-letters is the original key and value, with headers naming the error; "
                        + "dead letters are kept 30 days. --republish sends one back to parley.developments once it can "
                        + "be read and is valid (written with a schema this version now knows, or filed under the wrong "
                        + "key); otherwise fix the development and publish it with ./parley publish."},
        footer = {"", "Examples:", "  ./parley dead-letters", "  ./parley dead-letters --republish 0:12"})
final class DeadLettersCommand implements Callable<Integer> {

    private static final int PREVIEW_BYTES = 120;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--republish", paramLabel = "PARTITION:OFFSET",
            description = "Re-publish this dead letter (as listed, e.g. 0:12) under its negotiation id, if it can now be read and is valid.")
    String republish;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.commandSettings();
        try {
            KafkaReachability.require(settings.kafkaClient());
            var records = TopicSnapshot.read(settings.kafkaClient(), Topics.DEAD_LETTERS, new ByteArrayDeserializer(), Duration.ofSeconds(30));
            if (republish != null) {
                return republish(settings, records, out, err);
            }
            records.forEach(record -> out.print(render(record)));
            out.println(records.size() + " dead letter(s) on " + Topics.DEAD_LETTERS + ".");
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "read " + Topics.DEAD_LETTERS + " from", settings.kafka(), e);
        }
    }

    private int republish(AppSettings settings, List<ConsumerRecord<String, byte[]>> records, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        var record = records.stream().filter(r -> (r.partition() + ":" + r.offset()).equals(republish)).findFirst();
        if (record.isEmpty()) {
            err.println("No dead letter " + republish + " on " + Topics.DEAD_LETTERS + " (expected PARTITION:OFFSET as listed by ./parley dead-letters).");
            return 1;
        }
        Development development;
        try {
            development = AvroSerde.of(Development.class).deserialize(Topics.DEVELOPMENTS, record.get().value());
        } catch (SerializationException e) {
            err.println("Dead letter " + republish + " still cannot be read: " + e.getMessage());
            err.println("Publish a corrected development with ./parley publish instead.");
            return 1;
        }
        List<FieldError> problems = new DevelopmentValidator(Clock.systemUTC()).validate(development);
        if (development == null || !problems.isEmpty()) {
            problems.forEach(problem -> err.println("dead letter " + republish + ": " + problem.message()));
            err.println("Not re-published. Publish a corrected development with ./parley publish instead.");
            return 1;
        }
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            publisher.publishAll(List.of(development));
        }
        out.println("Re-published dead letter " + republish + " as " + development.getNegotiationId() + "/" + development.getDevelopmentId()
                + " to " + Topics.DEVELOPMENTS + ".");
        return 0;
    }

    static String render(ConsumerRecord<String, byte[]> record) {
        String nl = System.lineSeparator();
        return "#" + record.partition() + ":" + record.offset() + "  " + Instant.ofEpochMilli(record.timestamp())
                + "  key " + (record.key() == null ? "(none)" : "\"" + record.key() + "\"") + nl
                + "  error:   " + header(record, "__streams.errors.exception") + nl
                + StatusPrinter.wrapped("reason:  " + header(record, "__streams.errors.message"), 2)
                + "  from:    " + header(record, "__streams.errors.topic") + " partition " + header(record, "__streams.errors.partition")
                + " offset " + header(record, "__streams.errors.offset") + nl
                + "  value:   " + preview(record.value()) + nl + nl;
    }

    /** A header's text as written, or {@code ?} when the record lacks it. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Text when the bytes are text, else hex: dead letters are often not text at all. */
    private static String preview(byte[] value) {
        if (value == null) {
            return "(null)";
        }
        byte[] head = java.util.Arrays.copyOf(value, Math.min(value.length, PREVIEW_BYTES));
        String more = value.length > PREVIEW_BYTES ? "… (" + value.length + " bytes)" : " (" + value.length + " bytes)";
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(head)).toString();
            if (text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t')) {
                return "\"" + text + "\"" + more;
            }
        } catch (CharacterCodingException notText) {
            // shown as hex below
        }
        return "0x" + HexFormat.of().formatHex(head) + more;
    }
}
