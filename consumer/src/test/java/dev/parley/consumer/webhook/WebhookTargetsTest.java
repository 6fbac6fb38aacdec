package dev.parley.consumer.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {

    private static final URI HOOK = URI.create("https://hooks.example.org/parley");

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "127.0.0.1", "169.254.169.254", "::1", "fd00::1", "172.16.0.1", "192.168.1.1",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "fe80::1", "255.255.255.255"})
    void shouldRefusePrivateTargetsByDefault(String address) throws UnknownHostException {
        // given a host that resolves to a private address
        var targets = new WebhookTargets(resolvingTo(address), false);

        // when it is checked, then it is refused, naming the URL, the address and the way to allow it
        assertThatThrownBy(() -> targets.check(HOOK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://hooks.example.org/parley")
                .hasMessageContaining(InetAddress.getByName(address).getHostAddress())
                .hasMessageContaining("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true");
    }

    @Test
    void shouldAllowAPublicTarget() {
        // given a host that resolves to a public address
        var targets = new WebhookTargets(resolvingTo("93.184.216.34"), false);

        // when it is checked, then it passes
        assertThatCode(() -> targets.check(HOOK)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAHostWithAnyPrivateAddress() {
        // given a host with a public and a private address (the client may connect to either)
        var targets = new WebhookTargets(resolvingTo("93.184.216.34", "10.0.0.5"), false);

        // when it is checked, then the private one gets it refused
        assertThatThrownBy(() -> targets.check(HOOK)).hasMessageContaining("10.0.0.5");
    }

    @Test
    void shouldAllowPrivateTargetsWhenExplicitlyAllowed() {
        // given private targets allowed
        var lookups = new AtomicInteger();
        var targets = new WebhookTargets(host -> {
            lookups.incrementAndGet();
            return addresses("10.0.0.5");
        }, true);

        // when a private host is checked, then it passes without a lookup
        assertThatCode(() -> targets.check(URI.create("http://receiver.internal:8080/hook"))).doesNotThrowAnyException();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void shouldRefuseUrlsThatAreNotHttp() {
        // given private targets allowed, so only the URL's shape can refuse it
        var targets = new WebhookTargets(resolvingTo("93.184.216.34"), true);

        // when other schemes or host-less URLs are checked, then each is refused
        for (String url : new String[] {"ftp://hooks.example.org/parley", "file:///etc/passwd", "mailto:ops@example.org"}) {
            assertThatThrownBy(() -> targets.check(URI.create(url)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an http or https URL");
        }
        assertThatThrownBy(() -> targets.check(URI.create("http://under_score.example.org/hook")))
                .hasMessageContaining("has no host name");
    }

    @Test
    void shouldLookUpIpv6LiteralsWithoutBrackets() {
        // given an IPv6 literal in the URL (URI keeps the brackets)
        var targets = new WebhookTargets(host -> {
            assertThat(host).isEqualTo("fd00::1");
            return addresses(host);
        }, false);

        // when it is checked, then the bare address is looked up and refused
        assertThatThrownBy(() -> targets.check(URI.create("http://[fd00::1]:8080/hook")))
                .hasMessageContaining("unique-local IPv6");
    }

    @Test
    void shouldKeepCredentialsInTheUrlOutOfMessages() {
        // given a URL with user info and a token in its query
        var targets = new WebhookTargets(resolvingTo("10.0.0.5"), false);
        URI withCredentials = URI.create("https://ops:s3cret@hooks.example.org/parley?token=t0ken");

        // when it is refused, then the message names the URL without them
        assertThatThrownBy(() -> targets.check(withCredentials))
                .hasMessageContaining("https://hooks.example.org/parley?…")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("t0ken");
    }

    private static WebhookTargets.Resolver resolvingTo(String... literals) {
        return host -> {
            assertThat(host).isEqualTo("hooks.example.org");
            return addresses(literals);
        };
    }

    /** Literal addresses only, so no test ever asks DNS. */
    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }
}
