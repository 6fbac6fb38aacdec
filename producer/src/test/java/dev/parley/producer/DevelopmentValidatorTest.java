package dev.parley.producer;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Actor;
import dev.parley.schemas.ActorRole;
import dev.parley.schemas.Development;
import dev.parley.schemas.Quote;
import dev.parley.schemas.json.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevelopmentValidatorTest {

    private final DevelopmentValidator validator = new DevelopmentValidator(Clock.fixed(Instant.parse("2025-12-06T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldNameTheActorsInTheirOrderAndOnlyTheFirstFewOfMany() {
        // given a quote by nobody among two actors, and 12,000 quotes by nobody among 12,000 actors
        Development few = aDevelopment().actor("Steve Witkoff", ActorRole.ENVOY, "US").actor("Iouri Ouchakov", ActorRole.ADVISER, "RU")
                .quote("Une réunion utile.", "Vladimir Poutine").build();
        List<Actor> actors = new ArrayList<>();
        List<Quote> quotes = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            actors.add(new Actor("a" + i, ActorRole.OTHER, "X"));
            quotes.add(new Quote("t", "s" + i));
        }
        Development crowd = Development.newBuilder(aDevelopment().build()).setActors(actors).setQuotes(quotes).build();

        // when
        List<FieldError> fewErrors = validator.validate(few);
        List<FieldError> crowdErrors = validator.validate(crowd);

        // then each error reads in a line, whatever the number of actors
        assertThat(fewErrors).extracting(FieldError::message)
                .containsExactly("quotes[0].speaker: \"Vladimir Poutine\" is not one of the actors [Steve Witkoff, Iouri Ouchakov]");
        assertThat(crowdErrors).filteredOn(error -> error.field().endsWith(".speaker")).hasSize(12_000);
        assertThat(crowdErrors).allSatisfy(error -> assertThat(error.message()).hasSizeLessThan(400));
        assertThat(crowdErrors.get(0).message())
                .isEqualTo("quotes[0].speaker: \"s0\" is not one of the 12000 actors [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, …]");
    }

    @Test
    void shouldRefuseAReportTimeBefore1970WhichNoKafkaRecordCanCarry() {
        // given reports stamped just before the epoch, at it, and in year 1
        Development before = aDevelopment().reportedAt("1969-12-31T23:59:59Z").build();
        Development atEpoch = aDevelopment().reportedAt("1970-01-01T00:00:00Z").build();
        Development yearOne = aDevelopment().reportedAt("0001-01-01T00:00:00Z").build();

        // when / then
        assertThat(validator.validate(before)).extracting(FieldError::message).containsExactly("reported_at: \"1969-12-31T23:59:59Z\" "
                + "is not a time Kafka can stamp a record with (expected 1970-01-01T00:00:00Z or later)");
        assertThat(validator.validate(atEpoch)).isEmpty();
        assertThat(validator.validate(yearOne)).extracting(FieldError::field).containsExactly("reported_at");
    }

    @Test
    void shouldRefuseADevelopmentTooLargeForTheViewsKafkaRecordNamingItsLongestText() {
        // given a summary of 60,000 characters, which fits, and one with a title of 10,000 more, which does not
        Development fits = Development.newBuilder(aDevelopment().build()).setSummary("a".repeat(60_000)).build();
        Development tooLarge = Development.newBuilder(fits).setTitle("b".repeat(10_000)).build();

        // when
        List<FieldError> fitsErrors = validator.validate(fits);
        List<FieldError> tooLargeErrors = validator.validate(tooLarge);

        // then
        assertThat(fitsErrors).isEmpty();
        assertThat(tooLargeErrors).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("summary");
            assertThat(error.value()).startsWith("\"aaaa").endsWith("(60002 characters)");
            assertThat(error.expected()).isEqualTo("short enough: the development takes 70107 bytes encoded, at most 65536 are taken, "
                    + "so that the items and changes showing it stay small");
        });
    }
}
