package dev.parley.consumer.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs outgoing status changes the way the Standard Webhooks specification says
 * (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>), so a receiver checks them with
 * any off-the-shelf Standard Webhooks library, or with {@link #verify}, the receiver's side, written to be copied.
 */
public final class StandardWebhooks {

    /** Unique per message and the same on every retry: receivers dedupe on it. */
    public static final String ID_HEADER = "webhook-id";
    /** When this attempt was signed, in epoch seconds: receivers refuse stale ones (replay protection). */
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    /** How far a {@code webhook-timestamp} may be from the receiver's clock, either way: the specification's five minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION_PREFIX = "v1,";
    private static final int NEW_SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooks() {
    }

    /**
     * The HMAC key a {@code whsec_<base64>} secret stands for.
     *
     * @throws IllegalArgumentException naming what is wrong, never echoing the secret
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.strip().startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("Webhook secret must look like " + SECRET_PREFIX
                    + "<base64> (generate one with StandardWebhooks.newSecret())");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.strip().substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // Not e's message: it may quote part of the secret.
            throw new IllegalArgumentException("Webhook secret is not valid base64 after " + SECRET_PREFIX);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("Webhook secret is empty after " + SECRET_PREFIX);
        }
        return key;
    }

    /** The {@code webhook-signature} value: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. */
    public static String sign(byte[] key, String id, long timestamp, byte[] body) {
        return VERSION_PREFIX + Base64.getEncoder().encodeToString(mac(key, id, timestamp, body));
    }

    private static byte[] mac(byte[] key, String id, long timestamp, byte[] body) {
        Mac mac = hmac(key);
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }

    /**
     * The receiver's check of a request: the signature is one of ours over exactly this id, timestamp and body, and
     * the timestamp is within {@code tolerance} of {@code now} (so a captured request cannot be replayed later).
     *
     * <pre>{@code
     * // in a receiver, with the raw body bytes as they arrived (not re-serialised JSON):
     * try {
     *     StandardWebhooks.verify(secret, headers.get("webhook-id"), headers.get("webhook-timestamp"), body,
     *             headers.get("webhook-signature"), Instant.now(), StandardWebhooks.DEFAULT_TOLERANCE);
     * } catch (StandardWebhooks.VerificationException e) {
     *     return 401; // e.getMessage() says why, for the receiver's log
     * }
     * // then deduplicate on webhook-id: a retry or a replay sends the same id again
     * }</pre>
     *
     * @param secret          the {@code whsec_<base64>} secret shared with the sender
     * @param id              the {@code webhook-id} header
     * @param timestamp       the {@code webhook-timestamp} header, in epoch seconds
     * @param body            the request body, byte for byte
     * @param signatureHeader the {@code webhook-signature} header: one or more {@code v1,<base64>}, separated by spaces
     *                        (several while a secret is being rotated); it passes if any one of them matches
     * @param now             the receiver's clock
     * @param tolerance       how far the timestamp may be from {@code now}, either way ({@link #DEFAULT_TOLERANCE})
     * @throws VerificationException saying what is wrong (missing header, stale or future timestamp, no matching signature)
     * @throws IllegalArgumentException when the secret itself is malformed (a configuration error, not a bad request)
     */
    public static void verify(String secret, String id, String timestamp, byte[] body, String signatureHeader,
                              Instant now, Duration tolerance) throws VerificationException {
        byte[] key = key(secret);
        if (id == null || id.isBlank()) {
            throw new VerificationException("no " + ID_HEADER + " header");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new VerificationException("no " + SIGNATURE_HEADER + " header");
        }
        long seconds = epochSeconds(timestamp);
        Instant signedAt = Instant.ofEpochSecond(seconds);
        if (signedAt.isBefore(now.minus(tolerance))) {
            throw new VerificationException(TIMESTAMP_HEADER + " " + signedAt + " is more than " + tolerance.toSeconds()
                    + " s before " + now + " (too old: a replay, or a clock that is behind)");
        }
        if (signedAt.isAfter(now.plus(tolerance))) {
            throw new VerificationException(TIMESTAMP_HEADER + " " + signedAt + " is more than " + tolerance.toSeconds()
                    + " s after " + now + " (in the future: a clock that is ahead)");
        }
        byte[] expected = mac(key, id, seconds, body);
        boolean matches = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (candidate.startsWith(VERSION_PREFIX)) {
                byte[] presented;
                try {
                    presented = Base64.getDecoder().decode(candidate.substring(VERSION_PREFIX.length()));
                } catch (IllegalArgumentException notBase64) {
                    continue;
                }
                // Constant time, and no early exit: how many candidates match, or how much of one, does not show.
                matches |= MessageDigest.isEqual(expected, presented);
            }
        }
        if (!matches) {
            throw new VerificationException("no " + VERSION_PREFIX + " signature in " + SIGNATURE_HEADER
                    + " matches this id, timestamp and body with this secret");
        }
    }

    /** Why a webhook request is not one to trust; the message names the reason, never the secret or a signature. */
    public static final class VerificationException extends Exception {

        public VerificationException(String message) {
            super(message);
        }
    }

    private static long epochSeconds(String timestamp) throws VerificationException {
        if (timestamp == null || timestamp.isBlank()) {
            throw new VerificationException("no " + TIMESTAMP_HEADER + " header");
        }
        try {
            long seconds = Long.parseLong(timestamp.trim());
            Instant.ofEpochSecond(seconds); // in Instant's range
            return seconds;
        } catch (NumberFormatException | DateTimeException e) {
            throw new VerificationException(TIMESTAMP_HEADER + " \"" + abbreviate(timestamp) + "\" is not a time (expected epoch seconds)");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** A fresh secret to give a receiver: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] bytes = new byte[NEW_SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every JDK ships HmacSHA256 and accepts any non-empty key: this cannot happen.
            throw new IllegalStateException(e);
        }
    }
}
