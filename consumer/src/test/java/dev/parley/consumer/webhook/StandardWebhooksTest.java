package dev.parley.consumer.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

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
}
