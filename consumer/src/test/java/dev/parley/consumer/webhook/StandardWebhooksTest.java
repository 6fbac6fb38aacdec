package dev.parley.consumer.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.consumer.webhook.StandardWebhooks.VerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    // The specification's test vector: this secret, id, timestamp and body give this signature.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1614265330L);
    private static final Duration TOLERANCE = StandardWebhooks.DEFAULT_TOLERANCE;

    @Test
    void shouldReproduceTheSpecificationsPublishedSignature() {
        // given the test vector the Standard Webhooks reference libraries are checked against
        byte[] key = StandardWebhooks.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

        // when it is signed
        String signature = StandardWebhooks.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body);

        // then it is the signature the specification publishes, byte for byte
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldGenerateSecretsOfThirtyTwoRandomBytes() {
        // given two new secrets
        String first = StandardWebhooks.newSecret();
        String second = StandardWebhooks.newSecret();

        // when they are read back as keys
        byte[] key = StandardWebhooks.key(first);

        // then each is whsec_ and 32 bytes, and no two are alike
        assertThat(first).startsWith("whsec_");
        assertThat(key).hasSize(32);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseAMalformedSecretWithoutQuotingIt() {
        // given secrets without the prefix, with broken base64, with nothing after the prefix
        // when they are read, then each is refused with a message that does not leak it
        assertThatThrownBy(() -> StandardWebhooks.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_<base64>")
                .hasMessageNotContaining("MfKQ9r8G");
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_not*base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    // ---- the receiver's side: verify ----

    @Test
    void shouldAcceptTheSpecificationsSignedRequestWithinTheTolerance() throws Exception {
        // when the request is checked a minute after it was signed, and exactly five minutes after
        StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, SIGNED_AT.plusSeconds(60), TOLERANCE);
        StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, SIGNED_AT.plus(TOLERANCE), TOLERANCE);

        // then neither throws, and what Parley itself signs is accepted too
        byte[] key = StandardWebhooks.key(SECRET);
        String ours = StandardWebhooks.sign(key, "talks:7", 1764698400L, BODY);
        StandardWebhooks.verify(SECRET, "talks:7", "1764698400", BODY, ours, Instant.ofEpochSecond(1764698400L), TOLERANCE);
    }

    @Test
    void shouldRefuseATamperedBody() {
        // given the signed body with one digit changed
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, tampered, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("no v1, signature in webhook-signature matches");
    }

    @Test
    void shouldRefuseATamperedId() {
        // given another message's id, e.g. to slip a replay past deduplication
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJeK", TIMESTAMP, BODY, SIGNATURE,
                SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("matches");
    }

    @Test
    void shouldRefuseATamperedTimestampEvenWithinTheTolerance() {
        // given the timestamp moved one second: the signature covers it
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, "1614265331", BODY, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("matches");
    }

    @Test
    void shouldRefuseATimestampOlderThanFiveMinutes() {
        // when a correctly signed request arrives five minutes and one second after it was signed (a replay)
        // then
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE,
                SIGNED_AT.plus(TOLERANCE).plusSeconds(1), TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("too old");
    }

    @Test
    void shouldRefuseATimestampTooFarInTheFuture() {
        // when a correctly signed request claims to be signed six minutes from now
        // then
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE,
                SIGNED_AT.minus(Duration.ofMinutes(6)), TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("in the future");
    }

    @Test
    void shouldRefuseASignatureMadeWithAnotherSecret() {
        // given the same request signed with another secret
        String other = StandardWebhooks.sign(StandardWebhooks.key(StandardWebhooks.newSecret()), ID, 1614265330L, BODY);

        // when / then
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, other, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("matches")
                .hasMessageNotContaining(other.substring(3));
    }

    @Test
    void shouldAcceptAHeaderWithSeveralSignaturesWhenOneMatches() throws Exception {
        // given a header carrying an old secret's signature, an unknown scheme, garbage, then the right one (a rotation)
        String other = StandardWebhooks.sign(StandardWebhooks.key(StandardWebhooks.newSecret()), ID, 1614265330L, BODY);
        String header = other + " v1a,c2lnbmVkIHdpdGggZWQyNTUxOQ== v1,not*base64 " + SIGNATURE;

        // when / then it passes, and the same header without the right one does not
        StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, header, SIGNED_AT, TOLERANCE);
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, header.replace(SIGNATURE, ""),
                SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void shouldSayWhichHeaderIsMissingOrMalformed() {
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, null, TIMESTAMP, BODY, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class).hasMessage("no webhook-id header");
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, null, BODY, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class).hasMessage("no webhook-timestamp header");
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, " ", SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class).hasMessage("no webhook-signature header");
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, "2021-02-25T15:02:10Z", BODY, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessage("webhook-timestamp \"2021-02-25T15:02:10Z\" is not a time (expected epoch seconds)");
        assertThatThrownBy(() -> StandardWebhooks.verify(SECRET, ID, "99999999999999999", BODY, SIGNATURE, SIGNED_AT, TOLERANCE))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("is not a time");
    }
}
