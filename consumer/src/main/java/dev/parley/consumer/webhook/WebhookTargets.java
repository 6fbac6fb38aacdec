package dev.parley.consumer.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Decides which URLs status changes may be posted to: public http(s) addresses only, unless private
 * targets are explicitly allowed, so a configured webhook cannot be used to reach Parley's own network
 * (cloud metadata at 169.254.169.254, the Kafka broker, a database on localhost).
 *
 * <p>A host is refused when any address it resolves to is private, because the HTTP client may connect
 * to any of them. Checked when the sink is built and again before every delivery, since DNS can change.
 * The HTTP client resolves the name once more itself, so a host that flips between the check and the
 * connection is not caught; this guards against configuration mistakes and plain SSRF, not a DNS
 * server under an attacker's control.
 */
public final class WebhookTargets {

    /** The setting that lets webhooks reach private addresses (a receiver on the same network, tests). */
    public static final String ALLOW_PRIVATE_TARGETS_SETTING = "PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS";

    /** Host name to addresses; {@link #DNS} in production, a fixed table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final Resolver DNS = InetAddress::getAllByName;

    private final Resolver resolver;
    private final boolean allowPrivateTargets;

    public WebhookTargets(Resolver resolver, boolean allowPrivateTargets) {
        this.resolver = resolver;
        this.allowPrivateTargets = allowPrivateTargets;
    }

    public boolean allowsPrivateTargets() {
        return allowPrivateTargets;
    }

    /**
     * Checks that changes may be posted to the target right now.
     *
     * @throws IllegalArgumentException when the URL is not http(s) or its host resolves to a refused address;
     *                                  the message names the URL, the address and how to allow it
     * @throws UnknownHostException     when the host does not resolve (which may pass)
     */
    public void check(URI target) throws UnknownHostException {
        String host = checkShape(target);
        if (allowPrivateTargets) {
            return; // the client resolves and connects on its own; nothing more to refuse
        }
        for (InetAddress address : resolver.resolve(host)) {
            if (isRefused(address)) {
                throw new IllegalArgumentException("Webhook target " + display(target) + " resolves to "
                        + address.getHostAddress() + ", a " + describe(address) + " address; webhooks only go to public "
                        + "addresses unless " + ALLOW_PRIVATE_TARGETS_SETTING + "=true (set it only when the receiver "
                        + "is meant to be on a private network)");
            }
        }
    }

    /** The host to resolve, once the URL is known to be an absolute http(s) URL with a host. */
    static String checkShape(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Webhook target " + display(target)
                    + " is not an http or https URL (expected e.g. https://example.org/parley-hook)");
        }
        String host = target.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("Webhook target " + display(target)
                    + " has no host name the JDK can read (expected e.g. https://example.org/parley-hook)");
        }
        // URI keeps IPv6 literals in brackets; the resolver wants the bare address.
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** True for any address that is not plainly public. */
    static boolean isRefused(InetAddress address) {
        return address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || isThisNetwork(address)
                || isCarrierGradeNat(address)
                || isUniqueLocal(address)
                || isBroadcast(address);
    }

    private static String describe(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        } else if (address.isLinkLocalAddress()) {
            return "link-local";
        } else if (address.isSiteLocalAddress()) {
            return "private (site-local)";
        } else if (address.isAnyLocalAddress() || isThisNetwork(address)) {
            return "wildcard (this host)";
        } else if (address.isMulticastAddress()) {
            return "multicast";
        } else if (isCarrierGradeNat(address)) {
            return "carrier-grade NAT (100.64.0.0/10)";
        } else if (isUniqueLocal(address)) {
            return "unique-local IPv6 (fc00::/7)";
        }
        return "broadcast";
    }

    /** 0.0.0.0/8: Linux connects to it as this host, so it is as dangerous as loopback. */
    private static boolean isThisNetwork(InetAddress address) {
        return address instanceof Inet4Address && address.getAddress()[0] == 0;
    }

    /** 100.64.0.0/10, shared address space behind carrier-grade NAT; the JDK counts it as public. */
    private static boolean isCarrierGradeNat(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }

    /** fc00::/7, the IPv6 counterpart of 10/8; the JDK only knows the deprecated fec0::/10. */
    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

    private static boolean isBroadcast(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address && (bytes[0] & bytes[1] & bytes[2] & bytes[3]) == (byte) 0xff;
    }

    /**
     * The URL as it may appear in logs and messages: without user info and query, which is where
     * receivers usually put credentials.
     */
    static String display(URI target) {
        if (target.getHost() == null) {
            return target.getScheme() == null ? "\"" + target.getRawPath() + "\"" : "\"" + target.getScheme() + ":…\"";
        }
        String port = target.getPort() == -1 ? "" : ":" + target.getPort();
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?…";
        return target.getScheme() + "://" + target.getHost() + port + path + query;
    }
}
