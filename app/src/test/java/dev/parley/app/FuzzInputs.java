package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.json.AvroJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inputs for the fuzz tests of development ingestion, generated from a seed so that every run tries the same ones:
 * valid developments, every field with every wrong type, missing and unknown fields, numbers, dates and instants out of
 * range or malformed, JSON truncated at every byte, random byte mutations, invalid UTF-8, control characters, lone
 * surrogates, 1 MB strings, 10,000 levels of nesting, huge lists and batches.
 */
final class FuzzInputs {

    /** One input: what kind it is (for the report), a short description of it, and its bytes. */
    record Input(String kind, String description, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return kind + " / " + description + " (" + bytes.length + " bytes)";
        }
    }

    static final int MEGABYTE = 1_000_000;
    static final int DEEP = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] FIELD_NAMES = {"development_id", "negotiation_id", "revision", "operation", "supersedes",
            "occurred_on", "start", "precision", "occurrence", "reported_at", "type", "subject", "summary", "language", "quotes",
            "text", "speaker", "actors", "name", "role", "party", "place", "claims", "claim", "claimant", "stance", "sources",
            "outlet", "url", "citation", "issues", "phase", "decision", "binding", "sticking_point", "title"};
    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "null", "true", "-", "e",
            ".", "0", "1e999", " ", "\n", "\u0000", "/*", "'", "NaN", "\uFEFF"};
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC0, (byte) 0xAF},                           // overlong '/'
            {(byte) 0x80},                                        // a continuation byte alone
            {(byte) 0xBF, (byte) 0xBF},
            {(byte) 0xE2, (byte) 0x82},                           // a three-byte sequence cut short
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},              // a surrogate encoded as UTF-8 (CESU)
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFE},
            {(byte) 0xFF},
            {(byte) 0xC3}};                                       // a two-byte sequence cut short

    private final Random random;
    private final List<Input> inputs = new ArrayList<>();

    private FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    private static final Map<Long, List<Input>> GENERATED = new ConcurrentHashMap<>();

    /** Every input, in a fixed order for the seed; generated once per JVM, for every test that asks. */
    static List<Input> all(long seed) {
        return GENERATED.computeIfAbsent(seed, s -> {
            var fuzz = new FuzzInputs(s);
            fuzz.generate();
            return List.copyOf(fuzz.inputs);
        });
    }

    /** A valid development with every field set, as plain JSON. */
    static ObjectNode validDevelopment(String id) {
        ObjectNode d = NODES.objectNode();
        d.put("development_id", id);
        d.put("negotiation_id", "fuzz-talks");
        d.put("revision", 1);
        d.put("operation", "ASSERT");
        d.putNull("supersedes");
        d.putObject("occurred_on").put("start", "2025-12-02").put("precision", "DAY");
        d.put("occurrence", "OCCURRED");
        d.put("reported_at", "2025-12-02T18:00:00Z");
        d.put("type", "MEETING");
        d.put("subject", "meeting:" + id);
        d.put("summary", "Rencontre à Moscou entre l’envoyé américain et le président russe.");
        d.put("language", "fr");
        d.putArray("quotes").addObject().put("text", "Une réunion utile.").put("speaker", "Iouri Ouchakov");
        ArrayNode actors = d.putArray("actors");
        actors.addObject().put("name", "Iouri Ouchakov").put("role", "ADVISER").put("party", "RU");
        actors.addObject().put("name", "Steve Witkoff").put("role", "ENVOY").put("party", "US");
        d.put("place", "Moscou");
        d.putArray("claims").addObject().put("claim", "progrès").put("claimant", "Iouri Ouchakov").put("stance", "ASSERTS");
        d.putArray("sources").addObject().put("outlet", "AFP").put("url", "https://example.org/a").putNull("citation").put("language", "fr");
        d.putArray("issues").add("territory:donetsk").add("security-guarantees");
        d.put("phase", "DIRECT_TALKS");
        d.put("decision", "NONE_ANNOUNCED");
        d.putNull("binding");
        d.put("sticking_point", true);
        d.put("title", "Moscou : une rencontre");
        return d;
    }

    private void generate() {
        valid();
        wrongTypes();
        missingFields();
        unknownFields();
        numbers();
        dates();
        instants();
        truncated();
        invalidUtf8();
        controlCharacters();
        surrogates();
        huge();
        deep();
        topLevel();
        randomJson(1_500);
        batches(300);
        mutated(6_000);
        ndjsonFiles(200);
        yaml();
        csv(400);
    }

    // ---- the kinds ----

    private void valid() {
        add("valid", "every field set", validDevelopment("valid-0"));
        ObjectNode minimal = NODES.objectNode().put("development_id", "minimal").put("negotiation_id", "fuzz-talks")
                .put("reported_at", "2025-12-02T18:00:00Z").put("type", "OTHER").put("summary", "s").put("language", "uk");
        minimal.putObject("occurred_on").put("start", "2025-12-02").put("precision", "DAY");
        add("valid", "only the required fields", minimal);
        String[] texts = {"Зустріч у Женеві", "会谈", "😀 emoji", "tab\tand\nnew line\r\n", "\"quotes\" and \\ backslash",
                "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "%s%n%x", "\u202Eright-to-left", "a".repeat(10_000)};
        for (int i = 0; i < texts.length; i++) {
            ObjectNode d = validDevelopment("valid-text-" + i);
            d.put("summary", texts[i]);
            d.put("place", texts[i]);
            add("valid", "text " + abbreviate(texts[i]), d);
        }
        ObjectNode correction = validDevelopment("valid-correction").put("operation", "CORRECT").put("supersedes", "valid-0").put("revision", 2);
        add("valid", "a correction", correction);
        add("valid", "pretty-printed", validDevelopment("valid-pretty").toPrettyString().getBytes(StandardCharsets.UTF_8));
        add("valid", "with a byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                validDevelopment("valid-bom").toString().getBytes(StandardCharsets.UTF_8)));
        add("valid", "a batch of two", NODES.arrayNode().add(validDevelopment("valid-a")).add(validDevelopment("valid-b")));
    }

    private void wrongTypes() {
        List<JsonNode> wrong = List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(0), NODES.numberNode(-1),
                NODES.numberNode(2_147_483_648L), NODES.numberNode(1.5), NODES.textNode(""), NODES.textNode(" "), NODES.textNode("x"),
                NODES.textNode("ASSERT"), NODES.textNode("2025-12-02"), NODES.arrayNode(), NODES.arrayNode().addNull(),
                NODES.arrayNode().add("x"), NODES.objectNode(), NODES.objectNode().put("a", 1), NODES.textNode("y".repeat(5_000)));
        forEachPath(validDevelopment("wrong-type"), (path, node) -> {
            for (JsonNode value : wrong) {
                ObjectNode d = validDevelopment("wrong-type");
                replace(d, path, value.deepCopy());
                add("wrong type", path + " = " + abbreviate(value.toString()), d);
            }
        });
    }

    private void missingFields() {
        forEachPath(validDevelopment("missing"), (path, node) -> {
            ObjectNode d = validDevelopment("missing");
            remove(d, path);
            add("missing field", path, d);
        });
    }

    private void unknownFields() {
        String[] names = {"", " ", "developmentId", "Development_ID", "development_id ", "__proto__", "constructor", "$where",
                "summary\u0000", "ünïcödé", "a.b", "actors[0]", "x".repeat(1_000), "revision", "title"};
        List<String> objects = new ArrayList<>();
        objects.add("");
        forEachPath(validDevelopment("unknown"), (path, node) -> {
            if (node.isObject()) {
                objects.add(path);
            }
        });
        for (String object : objects) {
            for (String name : names) {
                ObjectNode d = validDevelopment("unknown-field");
                ObjectNode target = object.isEmpty() ? d : (ObjectNode) find(d, object);
                if (!target.has(name)) { // a known name is a duplicate key, below
                    target.put(name, random.nextBoolean() ? "value" : "1");
                    add("unknown field", (object.isEmpty() ? "" : object + ".") + abbreviate(name), d);
                }
            }
        }
        // The same key twice: Jackson keeps the last one.
        String base = validDevelopment("duplicate-key").toString();
        add("unknown field", "summary twice", base.replaceFirst("\\{", "{\"summary\":\"first\","));
        add("unknown field", "development_id twice, differently", base.replaceFirst("\\{", "{\"development_id\":\"other\","));
    }

    private void numbers() {
        String[] values = {"0", "-1", "1", "2147483647", "2147483648", "-2147483648", "-2147483649", "1e9", "1e10", "1.0", "1.5",
                "1e2", "1E+2", "-0", "0.0", "99999999999999999999999", "0x10", "01", "NaN", "Infinity", "-Infinity", "+1", ".5",
                "1.", "1e", "--1", "\"1\"", "1" + "0".repeat(999), "1" + "0".repeat(5_000), "1e-400", "1e400"};
        for (String field : new String[] {"revision", "binding", "sticking_point", "occurred_on", "reported_at"}) {
            for (String value : values) {
                String text = validDevelopment("number").toString();
                add("number", field + " = " + abbreviate(value), replaceValue(text, field, value));
            }
        }
    }

    private void dates() {
        String[] dates = {"2025-13-02", "2025-02-30", "2025-02-29", "2024-02-29", "2025-00-10", "2025-12-00", "2025-1-1", "25-12-02",
                "2025/12/02", "02/12/2025", "2025-12-02T00:00:00Z", "2025-12-02T00:00", "+999999999-12-31", "-999999999-01-01",
                "+1000000-01-01", "+10000-01-01", "0000-01-01", "-0001-01-01", "1970-01-01", "1969-12-31", "", " ", " 2025-12-02",
                "2025-12-02 ", "\u0662\u0660\u0662\u0665-12-02", "２０２５-１２-０２", "2025-12-02\u0000", "2025-W49-2", "2025-336",
                "décembre 2025", "x".repeat(2_000)};
        for (String date : dates) {
            ObjectNode d = validDevelopment("date");
            ((ObjectNode) d.get("occurred_on")).put("start", date);
            add("date", abbreviate(date), d);
        }
        for (String raw : new String[] {"20251202", "2025", "-1", "1e10", "true", "[]", "{}", "null"}) {
            add("date", raw, replaceValue(validDevelopment("date").toString(), "start", raw));
        }
        for (String precision : new String[] {"day", "DAY ", "FORTNIGHT", "", "EARLY_MONTH\u0000", "0"}) {
            ObjectNode d = validDevelopment("date");
            ((ObjectNode) d.get("occurred_on")).put("precision", precision);
            add("date", "precision " + abbreviate(precision), d);
        }
    }

    private void instants() {
        String[] instants = {"2025-12-02T18:00:00", "2025-12-02T25:00:00Z", "2025-12-02T18:60:00Z", "2025-12-02T18:00:00+01:00",
                "2025-12-02T18:00:00.123Z", "2025-12-02T18:00:00.123456789Z", "2025-12-02", "2025-12-02 18:00:00Z",
                "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z", "0001-01-01T00:00:00Z",
                "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z", "-290000000-01-01T00:00:00Z",
                "-300000000-01-01T00:00:00Z", "+300000000-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "2025-12-02T18:00:00z",
                "2025-12-02t18:00:00Z", "1764698400", "", "now", "x".repeat(2_000)};
        for (String instant : instants) {
            add("instant", abbreviate(instant), validDevelopment("instant").put("reported_at", instant));
        }
        for (String raw : new String[] {"1764698400000", "-1", "0", "1.5", "true", "[]", "{}"}) {
            add("instant", raw, replaceValue(validDevelopment("instant").toString(), "reported_at", raw));
        }
    }

    private void truncated() {
        byte[] one = validDevelopment("truncated").toString().getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length < one.length; length++) {
            add("truncated", "first " + length + " bytes", Arrays.copyOf(one, length));
        }
        byte[] batch = NODES.arrayNode().add(validDevelopment("t-1")).add(validDevelopment("t-2")).toString().getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length < batch.length; length += 7) {
            add("truncated", "batch, first " + length + " bytes", Arrays.copyOf(batch, length));
        }
    }

    private void invalidUtf8() {
        String text = validDevelopment("utf8").toString();
        int inSummary = text.indexOf("Rencontre");
        int inName = text.indexOf("summary");
        int outside = text.indexOf(",\"language\"");
        for (byte[] bad : INVALID_UTF8) {
            String hex = hex(bad);
            add("invalid UTF-8", hex + " in a value", insert(text, inSummary, bad));
            add("invalid UTF-8", hex + " in a field name", insert(text, inName, bad));
            add("invalid UTF-8", hex + " between tokens", insert(text, outside, bad));
            add("invalid UTF-8", hex + " at the end of a value", insert(text, text.indexOf("\",\"language\""), bad));
            add("invalid UTF-8", hex + " first", concat(bad, text.getBytes(StandardCharsets.UTF_8)));
        }
        // Latin-1 text that is not UTF-8, and JSON in UTF-16 (which a JSON parser may detect by itself)
        add("invalid UTF-8", "Latin-1", text.replace("Rencontre", "Réunion").getBytes(StandardCharsets.ISO_8859_1));
        add("invalid UTF-8", "UTF-16LE", text.getBytes(StandardCharsets.UTF_16LE));
        add("invalid UTF-8", "UTF-16 with a byte order mark", text.getBytes(StandardCharsets.UTF_16));
    }

    private void controlCharacters() {
        String text = validDevelopment("control").toString();
        int inSummary = text.indexOf("Rencontre") + 3;
        for (int c = 0; c < 0x20; c++) {
            add("control character", "raw U+" + hex4(c) + " in a value", insert(text, inSummary, new byte[] {(byte) c}));
            add("control character", "raw U+" + hex4(c) + " between tokens", insert(text, text.indexOf(",\"language\""), new byte[] {(byte) c}));
        }
        add("control character", "raw DEL in a value", insert(text, inSummary, new byte[] {0x7F}));
        int[] escaped = new int[0x20 + 6];
        for (int c = 0; c < 0x20; c++) {
            escaped[c] = c;
        }
        int[] more = {0x7F, 0x85, 0x9B, 0x2028, 0x2029, 0xFFFE};
        System.arraycopy(more, 0, escaped, 0x20, more.length);
        for (int c : escaped) {
            String escape = "\\u" + hex4(c);
            add("control character", "escaped " + escape + " in summary", text.replace("Rencontre", "Ren" + escape + "contre"));
            add("control character", "escaped " + escape + " in negotiation_id", text.replace("fuzz-talks", "fuzz" + escape + "-talks"));
        }
        add("control character", "terminal escape in place", text.replace("Moscou\"", "\\u001b]0;pwned\\u0007\\u001b[2J\""));
    }

    private void surrogates() {
        String text = validDevelopment("surrogate").toString();
        String[] escapes = {"\\ud800", "\\udfff", "\\ud800\\ud800", "\\udc00\\ud800", "\\ud83d", "\\ud83d\\ude00", "\\ud83dx", "\\uDBFF\\uDFFF"};
        for (String escape : escapes) {
            add("surrogate", escape + " in summary", text.replace("Rencontre", "Ren" + escape + "contre"));
            add("surrogate", escape + " at the end of summary", text.replace("président russe.", "président russe." + escape));
            add("surrogate", escape + " in actors' names", text.replace("Iouri Ouchakov", "Iouri" + escape));
            add("surrogate", escape + " as a field name", text.replace("\"title\"", "\"" + escape + "\""));
        }
    }

    private void huge() {
        String megabyte = "a".repeat(MEGABYTE);
        add("huge", "1 MB summary", validDevelopment("huge").put("summary", megabyte));
        add("huge", "1 MB summary of two-byte characters", validDevelopment("huge").put("summary", "é".repeat(MEGABYTE / 2)));
        add("huge", "1.1 MB summary", validDevelopment("huge").put("summary", "a".repeat(MEGABYTE + MEGABYTE / 10)));
        add("huge", "1 MB summary and 1 MB title", validDevelopment("huge").put("summary", megabyte).put("title", megabyte));
        add("huge", "1 MB development_id", validDevelopment("huge").put("development_id", megabyte));
        add("huge", "1 MB unknown field name", validDevelopment("huge").put(megabyte, 1));
        add("huge", "1 MB value in an unknown field", validDevelopment("huge").put("notes", megabyte));
        add("huge", "1 MB language tag", validDevelopment("huge").put("language", megabyte));
        add("huge", "1 MB of digits", replaceValue(validDevelopment("huge").toString(), "revision", "1".repeat(MEGABYTE)));
        add("huge", "1 MB of whitespace, then a development", " ".repeat(MEGABYTE) + validDevelopment("huge").toString());
        add("huge", "1 MB string, unterminated", "{\"summary\":\"" + megabyte);
        ObjectNode manyIssues = validDevelopment("many-issues");
        ArrayNode issues = manyIssues.putArray("issues");
        for (int i = 0; i < 20_000; i++) {
            issues.add("i" + i);
        }
        add("huge", "20,000 issues", manyIssues);
        // Many actors and many quotes whose speaker is none of them: one error per quote, each naming the actors.
        ObjectNode crowd = validDevelopment("crowd");
        ArrayNode actors = crowd.putArray("actors");
        ArrayNode quotes = crowd.putArray("quotes");
        for (int i = 0; i < 12_000; i++) {
            actors.addObject().put("name", "a" + i).put("role", "OTHER").put("party", "X");
            quotes.addObject().put("text", "t").put("speaker", "s" + i);
        }
        add("huge", "12,000 actors and 12,000 quotes by nobody among them", crowd);
        ArrayNode empties = NODES.arrayNode();
        for (int i = 0; i < 20_000; i++) {
            empties.addObject();
        }
        add("huge", "a batch of 20,000 empty objects", empties);
        ArrayNode many = NODES.arrayNode();
        for (int i = 0; i < 1_000; i++) {
            many.add(validDevelopment("many-" + i));
        }
        add("huge", "a batch of 1,000 valid developments", many);
    }

    private void deep() {
        add("deep", DEEP + " levels of [", "[".repeat(DEEP));
        add("deep", DEEP + " levels of [ ], closed", "[".repeat(DEEP) + "]".repeat(DEEP));
        add("deep", DEEP + " levels of {\"a\":", "{\"a\":".repeat(DEEP));
        add("deep", DEEP + " levels of {\"a\": }, closed", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP));
        add("deep", "100,000 levels of [", "[".repeat(10 * DEEP));
        String text = validDevelopment("deep").toString();
        add("deep", DEEP + " levels in summary", text.replace("\"Rencontre", "[".repeat(DEEP) + "\"x\"" + "]".repeat(DEEP) + ",\"x\":\"Rencontre"));
        add("deep", DEEP + " levels in an unknown field", text.replace("{\"development_id\"", "{\"notes\":" + "[".repeat(DEEP)
                + "]".repeat(DEEP) + ",\"development_id\""));
        add("deep", "999 levels in an unknown field", text.replace("{\"development_id\"", "{\"notes\":" + "[".repeat(999)
                + "]".repeat(999) + ",\"development_id\""));
        add("deep", DEEP + " levels of objects in issues", text.replace("\"issues\":[", "\"issues\":[" + "{\"a\":".repeat(DEEP) + "1"
                + "}".repeat(DEEP) + ","));
    }

    private void topLevel() {
        String valid = validDevelopment("top").toString();
        String[] texts = {"", " ", "\n", "null", "true", "false", "0", "-1", "1e999", "\"x\"", "\"\"", "[]", "[[]]", "[1,2]", "[null]",
                "[\"x\"]", "{}", "[{}]", "[{},{}]", "{} {}", "{}garbage", "{\"a\":1}}", "]", "}", "{", "[", ",", ":", "\"", "'x'",
                "{'development_id':'x'}", "{development_id:\"x\"}", "// comment\n{}", "/* c */{}", "{\"a\":1,}", "[1,]", "[,1]",
                valid + valid, valid + "\n" + valid, valid + " garbage", valid + "}", valid + "]", valid + ",", "[" + valid + "] 5",
                "[" + valid + "][" + valid + "]", "[" + valid + ",]", "[" + valid + " " + valid + "]", "<xml/>", "---\nfoo: bar",
                "\u0000", "\u0000".repeat(100), valid.replace("\"", "'"), valid.toUpperCase(), valid.replace(":", "="),
                "{\"development_id\":\"x\"" + ",\"a\":1".repeat(1_000) + "}"};
        for (String text : texts) {
            add("top level", abbreviate(text), text);
        }
    }

    private void randomJson(int count) {
        for (int i = 0; i < count; i++) {
            JsonNode value = randomValue(0);
            if (random.nextInt(3) > 0) { // mostly objects with the schema's own field names
                ObjectNode d = validDevelopment("random-" + i);
                int changes = 1 + random.nextInt(6);
                for (int c = 0; c < changes; c++) {
                    d.set(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], randomValue(1));
                }
                value = d;
            }
            add("random JSON", "#" + i, value);
        }
    }

    private void batches(int count) {
        List<Input> singles = inputs.stream().filter(input -> input.bytes().length < 10_000).toList();
        for (int i = 0; i < count; i++) {
            var out = new ByteArrayOutputStream();
            out.write('[');
            int size = 2 + random.nextInt(4);
            for (int j = 0; j < size; j++) {
                if (j > 0) {
                    out.write(',');
                }
                byte[] item = random.nextInt(3) == 0
                        ? validDevelopment("batch-" + i + "-" + j).toString().getBytes(StandardCharsets.UTF_8)
                        : singles.get(random.nextInt(singles.size())).bytes();
                out.writeBytes(item);
            }
            out.write(']');
            add("batch", "#" + i + " of " + size, out.toByteArray());
        }
    }

    private void mutated(int count) {
        List<byte[]> bases = List.of(validDevelopment("mutated").toString().getBytes(StandardCharsets.UTF_8),
                validDevelopment("mutated-pretty").toPrettyString().getBytes(StandardCharsets.UTF_8),
                NODES.arrayNode().add(validDevelopment("m-1")).add(validDevelopment("m-2")).toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < count; i++) {
            byte[] bytes = bases.get(random.nextInt(bases.size()));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(bytes);
            }
            add("mutated", "#" + i, bytes);
        }
    }

    /** Several lines, some valid, some not: what a file with many bad lines holds. */
    private void ndjsonFiles(int count) {
        List<Input> lines = inputs.stream().filter(input -> input.bytes().length < 5_000).toList();
        for (int i = 0; i < count; i++) {
            var out = new ByteArrayOutputStream();
            int size = 2 + random.nextInt(20);
            for (int j = 0; j < size; j++) {
                byte[] line = random.nextInt(4) == 0
                        ? validDevelopment("file-" + i + "-" + j).toString().getBytes(StandardCharsets.UTF_8)
                        : lines.get(random.nextInt(lines.size())).bytes();
                out.writeBytes(line);
                out.writeBytes(random.nextInt(5) == 0 ? "\r\n".getBytes(StandardCharsets.UTF_8) : "\n".getBytes(StandardCharsets.UTF_8));
            }
            add("lines", "#" + i + " of " + size, out.toByteArray());
        }
    }

    private void yaml() {
        String[] texts = {
                "development_id: yaml-1\nnegotiation_id: fuzz-talks\noccurred_on: {start: 2025-12-02, precision: DAY}\n"
                        + "reported_at: 2025-12-02T18:00:00Z\nsummary: s\nlanguage: fr\n",
                "- development_id: yaml-2\n  negotiation_id: fuzz-talks\n  occurred_on:\n    start: '2025-12-02'\n"
                        + "  reported_at: '2025-12-02T18:00:00Z'\n  summary: s\n  language: fr\n",
                "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                        + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                        + "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
                "summary: !!java.lang.Runtime {}\n", "summary: !<tag:yaml.org,2002:java.net.URL> [http://x]\n", "? [a, b]\n: c\n",
                "summary: *undefined\n", "%YAML 9.9\n---\na: 1\n", "---\n...\n---\n", "a: b: c\n", "\t- tab indented\n",
                "summary: |\n  multi\n  line\n", "revision: 0x10\n", "revision: 1_000\n", "revision: .inf\n", "binding: yes\n",
                "sticking_point: on\n", "reported_at: 2025-12-02 18:00:00\n", "- [" + "[".repeat(DEEP) + "\n", "a:\n" + "  - ".repeat(2_000) + "x\n",
                "summary: \"" + "a".repeat(MEGABYTE) + "\"\n", "'x': 'unterminated\n"};
        for (String text : texts) {
            add("YAML", abbreviate(text), text);
        }
    }

    private void csv(int count) {
        String header = "development_id,negotiation_id,revision,operation,supersedes,occurred_on,precision,occurrence,reported_at,"
                + "type,subject,summary,language,place,issues,actors,quotes,claims,sources,phase,decision,binding,sticking_point";
        String row = "csv-1,fuzz-talks,1,ASSERT,,2025-12-02,DAY,OCCURRED,2025-12-02T18:00:00Z,MEETING,meeting:x,\"Rencontre, à Moscou\","
                + "fr,Moscou,territory:donetsk;financing,Iouri Ouchakov|ADVISER|RU,Une réunion|Iouri Ouchakov,"
                + "progrès|Iouri Ouchakov|ASSERTS,AFP|https://example.org||fr,DIRECT_TALKS,NONE_ANNOUNCED,,true";
        String valid = header + "\n" + row + "\n";
        add("CSV", "valid", valid);
        String[] fixed = {"", "\n", header, header + "\n", "development_id,development_id\nx,y\n", "unknown\nx\n",
                header + "\n" + row + ",extra,cells\n", header + "\n\"unterminated\n", header + "\n" + row.replace("|ADVISER|RU", "") + "\n",
                header + "\n" + row.replace("2025-12-02,DAY", "2025-13-02,DAY") + "\n", header.replace(",", ";") + "\n" + row.replace(",", ";"),
                header + "\n" + row.replace(",1,", ",99999999999,") + "\n", header + "\n" + "\"" + "a".repeat(MEGABYTE) + "\"\n",
                header + "\n" + ",".repeat(22) + "\n", header + "\n" + ";;;|||".repeat(1_000) + "\n"};
        for (String text : fixed) {
            add("CSV", abbreviate(text), text);
        }
        byte[] base = valid.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            byte[] bytes = base;
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(bytes);
            }
            add("CSV", "mutated #" + i, bytes);
        }
    }

    // ---- building blocks ----

    private JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(5) - 1);
            case 3 -> NODES.numberNode(random.nextGaussian() * 1e6);
            case 4, 5 -> NODES.textNode(randomText());
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(randomValue(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    object.set(random.nextInt(4) == 0 ? randomText() : FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], randomValue(depth + 1));
                }
                yield object;
            }
        };
    }

    private String randomText() {
        String[] samples = {"", "x", "fuzz-talks", "ASSERT", "CORRECT", "DAY", "MEETING", "ENVOY", "2025-12-02", "2025-12-02T18:00:00Z",
                "fr", "en-GB", "not a tag", "Iouri Ouchakov", "Steve Witkoff", "RU", "ASSERTS", "https://example.org"};
        if (random.nextInt(4) > 0) {
            return samples[random.nextInt(samples.length)];
        }
        var text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);             // control characters
                case 1 -> 0x20 + random.nextInt(0x5F);      // ASCII
                case 2 -> 0xA0 + random.nextInt(0x2000);    // Latin, Greek, Cyrillic...
                default -> random.nextInt(0x110000);        // anything, lone surrogates included
            });
        }
        return text.toString();
    }

    private byte[] mutate(byte[] bytes) {
        if (bytes.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(7)) {
            case 0 -> { // replace a byte with any byte
                byte[] copy = bytes.clone();
                copy[at] = (byte) random.nextInt(256);
                yield copy;
            }
            case 1 -> insert(bytes, at, new byte[] {(byte) random.nextInt(256)});
            case 2 -> { // delete a run
                int length = Math.min(bytes.length - at, 1 + random.nextInt(8));
                byte[] copy = new byte[bytes.length - length];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(bytes, at + length, copy, at, bytes.length - at - length);
                yield copy;
            }
            case 3 -> { // duplicate a slice
                int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
                yield insert(bytes, at, Arrays.copyOfRange(bytes, at, at + length));
            }
            case 4 -> insert(bytes, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            case 5 -> insert(bytes, at, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            default -> { // swap two bytes
                byte[] copy = bytes.clone();
                int other = random.nextInt(bytes.length);
                byte b = copy[at];
                copy[at] = copy[other];
                copy[other] = b;
                yield copy;
            }
        };
    }

    /** Visits every field of a development, nested ones included, by path: {@code occurred_on.start}, {@code actors[1].role}. */
    private static void forEachPath(JsonNode node, BiConsumer<String, JsonNode> visitor) {
        walk(node, "", visitor);
    }

    private static void walk(JsonNode node, String path, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                visitor.accept(child, field.getValue());
                walk(field.getValue(), child, visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = path + "[" + i + "]";
                visitor.accept(child, node.get(i));
                walk(node.get(i), child, visitor);
            }
        }
    }

    private static JsonNode find(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : path.replace("[", ".[").split("\\.")) {
            node = step.startsWith("[") ? node.get(Integer.parseInt(step.substring(1, step.length() - 1))) : node.get(step);
        }
        return node;
    }

    private static void replace(ObjectNode root, String path, JsonNode value) {
        parentDo(root, path, (parent, step) -> {
            if (parent instanceof ObjectNode object) {
                object.set(step, value);
            } else {
                ((ArrayNode) parent).set(Integer.parseInt(step), value);
            }
        });
    }

    private static void remove(ObjectNode root, String path) {
        parentDo(root, path, (parent, step) -> {
            if (parent instanceof ObjectNode object) {
                object.remove(step);
            } else {
                ((ArrayNode) parent).remove(Integer.parseInt(step));
            }
        });
    }

    private static void parentDo(ObjectNode root, String path, BiConsumer<JsonNode, String> action) {
        int dot = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        JsonNode parent = dot < 0 ? root : find(root, path.substring(0, dot));
        String step = dot < 0 ? path : path.charAt(dot) == '[' ? path.substring(dot + 1, path.length() - 1) : path.substring(dot + 1);
        action.accept(parent, step);
    }

    /** The development's JSON with the raw value text of the first field of that name swapped for {@code raw}. */
    private static String replaceValue(String json, String field, String raw) {
        try {
            JsonNode original = find(AvroJson.MAPPER.readTree(json), pathOf(field));
            return json.replaceFirst(Pattern.quote("\"" + field + "\":" + original.toString()),
                    Matcher.quoteReplacement("\"" + field + "\":" + raw));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pathOf(String field) {
        return field.equals("start") ? "occurred_on.start" : field;
    }

    private void add(String kind, String description, JsonNode json) {
        add(kind, description, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void add(String kind, String description, String text) {
        add(kind, description, text.getBytes(StandardCharsets.UTF_8));
    }

    private void add(String kind, String description, byte[] bytes) {
        inputs.add(new Input(kind, description, bytes));
    }

    private static byte[] insert(String text, int at, byte[] inserted) {
        return insert(text.getBytes(StandardCharsets.UTF_8), text.substring(0, at).getBytes(StandardCharsets.UTF_8).length, inserted);
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] copy = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(inserted, 0, copy, at, inserted.length);
        System.arraycopy(bytes, at, copy, at + inserted.length, bytes.length - at);
        return copy;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        return insert(second, 0, first);
    }

    private static String hex(byte[] bytes) {
        var text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static String hex4(int c) {
        return String.format("%04X", c);
    }

    static String abbreviate(String text) {
        String shown = text.length() <= 40 ? text : text.substring(0, 37) + "...";
        var escaped = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                escaped.append(String.format("\\u%04X", c));
            } else {
                escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }
}
