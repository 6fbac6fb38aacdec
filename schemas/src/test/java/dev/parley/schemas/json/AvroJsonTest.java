package dev.parley.schemas.json;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.ActorRole;
import dev.parley.schemas.AvroLimits;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.Development;
import dev.parley.schemas.Operation;
import dev.parley.schemas.Stance;
import dev.parley.schemas.Topics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    @Test
    void shouldWriteTheJsonItIsGivenForARecordInsideAsItIsAndTheSameJsonOtherwise() throws Exception {
        Development development = aDevelopment().actor("Steve Witkoff", ActorRole.ENVOY, "US")
                .actor("Iouri Ouchakov", ActorRole.NEGOTIATOR, "RU").build();
        String writtenBefore = "{\"name\":\"as written before\",\"role\":\"ENVOY\",\"party\":\"US\"}";

        String json = AvroJson.jsonWriter(record -> record instanceof dev.parley.schemas.Actor ? writtenBefore : null).apply(development);

        assertThat(AvroJson.jsonWriter(record -> null).apply(development)).isEqualTo(AvroJson.toJsonString(development));
        assertThat(AvroJson.jsonWriter(record -> record == development ? "{}" : null).apply(development))
                .as("the record itself is written, not replaced").isEqualTo(AvroJson.toJsonString(development));
        assertThat(AvroJson.MAPPER.readTree(json).get("actors")).hasSize(2).allSatisfy(actor ->
                assertThat(actor.get("name").asText()).isEqualTo("as written before"));
    }

    @Test
    void shouldWriteInstantsAsJavaDoesWhateverTheirFraction() {
        var random = new java.util.Random(7);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2025-12-02T18:00:00Z"),
                Instant.parse("2025-12-31T23:59:59.999Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.123456789Z"),
                Instant.parse("-0001-06-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:01.000001Z"),
                Instant.ofEpochSecond(1_764_000_000L, 120_000), Instant.ofEpochSecond(1_764_000_000L, 7)));
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong() % 253_402_300_800L; // years -6000 to 9999
            instants.add(Instant.ofEpochSecond(second, switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            }));
        }

        for (Instant instant : instants) {
            assertThat(AvroJson.isoInstant(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void shouldRoundTripADevelopmentThroughPlainJson() throws Exception {
        // given
        Development claim = aDevelopment().id("pokrovsk-claim-ru").on("2025-12-01", DatePrecision.EARLY_MONTH)
                .actor("autorités russes", ActorRole.AUTHORITIES, "RU")
                .claim("prise de la ville de Pokrovsk", "autorités russes", Stance.ASSERTS).build();

        // when
        String json = AvroJson.toJsonString(claim);

        // then the JSON is plain (no Avro union wrappers) and reads back to the same record
        JsonNode tree = AvroJson.MAPPER.readTree(json);
        assertThat(tree.get("occurred_on").get("start").asText()).isEqualTo("2025-12-01");
        assertThat(tree.get("reported_at").asText()).isEqualTo("2025-12-02T18:00:00Z");
        assertThat(tree.get("supersedes").isNull()).isTrue();
        assertThat(tree.get("claims").get(0).get("stance").asText()).isEqualTo("ASSERTS");
        assertThat(AvroJson.fromJson(tree, Development.class)).isEqualTo(claim);
        // and the text is exactly the tree's, written out
        assertThat(json).isEqualTo(AvroJson.toJson(claim).toString());
    }

    @Test
    void shouldWriteTheSameJsonAsBytesAsAsText() {
        // given text beyond ASCII and beyond the BMP, quotes and a line break, which JSON escapes
        Development statement = aDevelopment().id("déclaration-1").summary("« très bonne » rencontre, dit-il 🙂\n\"ensuite\"")
                .actor("Steve Witkoff", ActorRole.ENVOY, "US").quote("« très bonne »", "Steve Witkoff").build();

        // when
        byte[] bytes = AvroJson.toJsonBytes(statement);

        // then they are the text's UTF-8, on one line, again and again (Jackson's buffers are reused between calls)
        String text = AvroJson.toJsonString(statement);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text).doesNotContain("\n");
        assertThat(AvroJson.toJsonBytes(aDevelopment().build())).isEqualTo(AvroJson.toJsonString(aDevelopment().build())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(AvroJson.toJsonBytes(statement)).isEqualTo(bytes);
        assertThat(text).isEqualTo(AvroJson.toJson(statement).toString());
    }

    @Test
    void shouldFillDefaultsForOmittedOptionalFields() throws Exception {
        JsonNode json = AvroJson.MAPPER.readTree("""
                {"development_id":"d","negotiation_id":"n","occurred_on":{"start":"2025-12-01","precision":"DAY"},
                 "reported_at":"2025-12-05T12:00:00Z","type":"MEETING","summary":"s","language":"fr"}""");

        Development development = AvroJson.fromJson(json, Development.class);

        assertThat(development.getRevision()).isEqualTo(1);
        assertThat(development.getOperation()).isEqualTo(Operation.ASSERT);
        assertThat(development.getActors()).isEmpty();
        assertThat(development.getPlace()).isNull();
    }

    @Test
    void shouldNameEveryBadFieldItsValueAndWhatWasExpected() throws Exception {
        JsonNode json = AvroJson.MAPPER.readTree("""
                {"development_id":"d","negotiation_id":"n","occurred_on":{"start":"2025-13-02","precision":"DAY"},
                 "reported_at":"yesterday","type":"MEETNG","summary":"s","language":"fr","revision":"two",
                 "actors":[{"name":"Steve Witkoff","role":"ENVOY"}], "colour":"blue"}""");

        InvalidRecordException error = catchThrowableOfType(InvalidRecordException.class,
                () -> AvroJson.fromJson(json, Development.class));

        assertThat(error.errors()).extracting(FieldError::message).containsExactlyInAnyOrder(
                "revision: \"two\" is not a whole number",
                "occurred_on.start: \"2025-13-02\" is not a date (expected YYYY-MM-DD)",
                "reported_at: \"yesterday\" is not an instant (expected ISO-8601 UTC, e.g. 2025-12-02T18:00:00Z)",
                "type: \"MEETNG\" is not one of PROPOSAL, CONSULTATION, MEETING, STATEMENT, POSITION, MILITARY_CLAIM, "
                        + "ASSESSMENT, SUPPORT_MEASURE, RESOLUTION, OUTCOME, OTHER",
                "actors[0].party: missing (expected a string)",
                "colour: \"blue\" is not a known field (expected one of [development_id, negotiation_id, revision, operation, "
                        + "supersedes, occurred_on, occurrence, reported_at, type, subject, summary, language, quotes, actors, "
                        + "place, claims, sources, issues, phase, decision, binding, sticking_point, title])");
    }

    @Test
    void shouldRefuseValuesTheBinaryEncodingCannotCarryOrItsReadersWouldRefuse() throws Exception {
        // given a date beyond Avro's int of days, an instant beyond a long of milliseconds, a summary one byte over the
        // string limit (in two-byte characters: bytes count, not characters) and one issue over the list limit
        ObjectNode json = minimal();
        ((ObjectNode) json.get("occurred_on")).put("start", "+999999999-12-31");
        json.put("reported_at", "-1000000000-01-01T00:00:00Z");
        json.put("summary", "é".repeat(AvroLimits.MAX_STRING_BYTES / 2) + "a");
        var issues = json.putArray("issues");
        for (int i = 0; i <= AvroLimits.MAX_COLLECTION_ITEMS; i++) {
            issues.add("issue-" + i);
        }

        // when
        InvalidRecordException error = catchThrowableOfType(InvalidRecordException.class, () -> AvroJson.fromJson(json, Development.class));

        // then each is named, with what was expected, rather than written wrong or left for a reader to choke on
        assertThat(error.errors()).extracting(FieldError::field, FieldError::expected).containsExactlyInAnyOrder(
                tuple("occurred_on.start", "a date (expected YYYY-MM-DD from -5877641-06-23 to +5881580-07-11)"),
                tuple("reported_at", "an instant (expected ISO-8601 UTC, e.g. 2025-12-02T18:00:00Z)"),
                tuple("summary", "a string of at most 1048576 bytes in UTF-8 (this one has 1048577)"),
                tuple("issues", "a list of at most 10000 items (this one has 10001)"));
    }

    @Test
    void shouldReadInstantsToTheMillisecondSoTheTopicHoldsExactlyWhatWasRead() throws Exception {
        // given an instant with nanoseconds, which timestamp-millis cannot keep
        ObjectNode json = minimal().put("reported_at", "2025-12-02T18:00:00.123456789Z");

        // when
        Development read = AvroJson.fromJson(json, Development.class);

        // then it is read to the millisecond, and comes back from the topic the same
        assertThat(read.getReportedAt()).isEqualTo(Instant.parse("2025-12-02T18:00:00.123Z"));
        var serde = AvroSerde.of(Development.class);
        assertThat(serde.deserialize(Topics.DEVELOPMENTS, serde.serialize(Topics.DEVELOPMENTS, read))).isEqualTo(read);
    }

    @Test
    void shouldRefuseControlCharactersAndHalfSurrogatePairsInText() throws Exception {
        // given a NUL in the summary, a terminal escape in the place, a lone surrogate in a quote, and text that is fine
        ObjectNode json = minimal().put("summary", "Ren\u0000contre").put("place", "\u001b]0;pwned\u0007Moscou").put("title", "Titre\t😀\r\n");
        json.putArray("actors").addObject().put("name", "Iouri").put("role", "ADVISER").put("party", "RU");
        json.putArray("quotes").addObject().put("text", "Une réunion \ud800").put("speaker", "Iouri");

        // when
        InvalidRecordException error = catchThrowableOfType(InvalidRecordException.class, () -> AvroJson.fromJson(json, Development.class));

        // then each bad one is named with the character and where it is; tab, line breaks and emoji pass
        assertThat(error.errors()).extracting(FieldError::message).containsExactlyInAnyOrder(
                "summary: \"Ren\\u0000contre\" is not text (expected no control character but tab and line breaks; U+0000 at character 4)",
                "place: \"\\u001B]0;pwned\\u0007Moscou\" is not text (expected no control character but tab and line breaks; U+001B at character 1)",
                "quotes[0].text: \"Une réunion \ud800\" is not text (expected Unicode characters; half of a surrogate pair, U+D800, at character 13)");
    }

    @Test
    void shouldShowALongValueByItsStartAndLengthAndAnOddFieldNameQuoted() throws Exception {
        // given a 1 MB value in an unknown field, an unknown field with an empty name, and one with a trailing space
        ObjectNode json = minimal().put("notes", "a".repeat(1_000_000)).put("", 1).put("summary ", "s");

        // when
        InvalidRecordException error = catchThrowableOfType(InvalidRecordException.class, () -> AvroJson.fromJson(json, Development.class));

        // then the value is shown by its start and its length, and each name so that it can be told apart
        assertThat(error.errors()).extracting(FieldError::field).containsExactly("notes", "\"\"", "\"summary \"");
        FieldError notes = error.errors().get(0);
        assertThat(notes.value()).hasSize(FieldError.MAX_SHOWN_CHARS - 30 + "… (1000002 characters)".length())
                .startsWith("\"aaaa").endsWith("… (1000002 characters)");
        assertThat(notes.message()).hasSizeLessThan(600);
    }

    private static ObjectNode minimal() throws Exception {
        return (ObjectNode) AvroJson.MAPPER.readTree("""
                {"development_id":"d","negotiation_id":"n","occurred_on":{"start":"2025-12-01","precision":"DAY"},
                 "reported_at":"2025-12-05T12:00:00Z","type":"MEETING","summary":"s","language":"fr"}""");
    }
}
