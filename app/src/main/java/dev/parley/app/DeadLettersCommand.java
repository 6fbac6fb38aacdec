package dev.parley.app;

import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley dead-letters}: the records the topology could not read or fold, and why. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Lists the records the status topology could not read or fold, and why.", "",
                "Each record on parley.dead-letters is the original key and value, with headers naming the error. "
                        + "Fix the development and publish it again with ./parley publish; dead letters are kept 30 days."},
        footer = {"", "Example:", "  ./parley dead-letters"})
final class DeadLettersCommand implements Callable<Integer> {

    private static final int PREVIEW_BYTES = 120;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.settings();
        try {
            var records = TopicSnapshot.read(settings.kafka(), Topics.DEAD_LETTERS, new ByteArrayDeserializer(), Duration.ofSeconds(30));
            records.forEach(record -> out.print(render(record)));
            out.println(records.size() + " dead letter(s) on " + Topics.DEAD_LETTERS + ".");
            return 0;
        } catch (KafkaException e) {
            err.println("Could not read " + Topics.DEAD_LETTERS + " from Kafka at " + settings.kafka() + ": " + e.getMessage());
            err.println("Is Parley running? Start it with ./parley up, or pass --bootstrap-servers.");
            return 2;
        }
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

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
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
