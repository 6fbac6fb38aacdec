package dev.parley.consumer.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs outgoing status changes the way the Standard Webhooks specification says
 * (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>), so a receiver checks them with
 * any off-the-shelf Standard Webhooks library.
 */
public final class StandardWebhooks {

    /** Unique per message and the same on every retry: receivers dedupe on it. */
    public static final String ID_HEADER = "webhook-id";
    /** When this attempt was signed, in epoch seconds: receivers refuse stale ones (replay protection). */
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    private static final String ALGORITHM = "HmacSHA256";
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
        Mac mac = hmac(key);
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
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
