package dev.parley.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret a client shows to write over HTTP: the one given in {@code PARLEY_API_TOKEN}, or one generated on the
 * first start and kept, readable by its owner only, in {@code <home>/api-token} so it survives restarts.
 */
final class ApiToken {

    static final String FILE_NAME = "api-token";

    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int RANDOM_BYTES = 32;

    // Only a digest is kept: comparing digests takes the same time whatever the presented token's length or content.
    private final byte[] digest;
    private final Path file;

    private ApiToken(String token, Path file) {
        this.digest = sha256(token);
        this.file = file;
    }

    /** A token given by the operator, e.g. from {@code PARLEY_API_TOKEN}. */
    static ApiToken of(String token) {
        return new ApiToken(token, null);
    }

    /** The configured token if there is one, else the one in {@code home}, created there if missing or empty. */
    static ApiToken resolve(String configured, Path home, SecureRandom random) throws IOException {
        if (configured != null && !configured.isBlank()) {
            log.info("HTTP writes need the API token given in PARLEY_API_TOKEN");
            return of(configured.trim());
        }
        Path file = home.resolve(FILE_NAME);
        String stored = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        if (stored.isEmpty()) {
            stored = generate(random);
            write(file, stored);
            log.info("Generated an API token for HTTP writes in {}", file);
        } else {
            restrictToOwner(file);
            log.info("HTTP writes need the API token in {}", file);
        }
        return new ApiToken(stored, file);
    }

    /** Whether the presented token is this one, in time that does not depend on how much of it is right. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The file holding the token; empty when it was given in the environment. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    private static String generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written to a private temporary file first and moved into place, so the token is never readable by others, even briefly. */
    private static void write(Path file, String token) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = posix()
                ? Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", new FileAttribute<?>[0]);
        try {
            Files.writeString(temporary, token + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            log.warn("{} was readable by others; it is now readable by its owner only. Delete it and restart Parley "
                    + "for a new token if others may have read it.", file);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
