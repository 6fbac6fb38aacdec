package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./parley} script, in a copy of the checkout's layout whose {@code mvnw} only notes that it was called and
 * "builds" by copying the packaged jar: when it rebuilds, what it shows, and that a build never changes the jar a
 * running Parley has open.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ParleyScriptIT {

    private static final Path JAR = Path.of("target", "parley.jar");

    @TempDir
    Path checkout;

    @BeforeEach
    void aCheckoutWithABuiltJar() throws Exception {
        Files.copy(Path.of("..", "parley"), checkout.resolve("parley"));
        Files.writeString(checkout.resolve("mvnw"), """
                #!/usr/bin/env bash
                here="$(cd "$(dirname "$0")" && pwd)"
                echo "$@" >> "$here/mvnw-calls"
                echo "[INFO] Scanning for projects..."
                echo "[INFO] Building Parley streams 0.1.0-SNAPSHOT                      [5/8]"
                cp "$here/fresh.jar" "$here/app/target/parley.jar.new" && cat "$here/app/target/parley.jar.new" > "$here/app/target/parley.jar"
                echo "[INFO] BUILD SUCCESS"
                """);
        for (String script : new String[] {"parley", "mvnw"}) {
            Files.setPosixFilePermissions(checkout.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.copy(JAR, checkout.resolve("fresh.jar"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.createDirectories(checkout.resolve("streams/src/main/java"));
        Files.writeString(checkout.resolve("streams/pom.xml"), "<project/>");
        Files.writeString(checkout.resolve("streams/src/main/java/Fold.java"), "class Fold {}");
        Files.createDirectories(checkout.resolve("samples"));
        Files.createDirectories(checkout.resolve("app/target"));
        Files.copy(JAR, checkout.resolve("app/target/parley.jar"));
        // every source older than the jar: a build is not due
        for (String source : new String[] {"pom.xml", "streams/pom.xml", "streams/src/main/java/Fold.java"}) {
            Files.setLastModifiedTime(checkout.resolve(source), FileTime.from(Instant.now().minusSeconds(3600)));
        }
    }

    @Test
    void shouldNotRebuildForAUsersOwnFilesInTheCheckout() throws Exception {
        // given a developments file, a properties file and a Parley home saved in the checkout after the build
        Files.writeString(checkout.resolve("my-developments.ndjson"), "{}\n");
        Files.writeString(checkout.resolve("prod.properties"), "PARLEY_PORT=8081\n");
        Files.createDirectories(checkout.resolve("my-home/kafka"));
        Files.writeString(checkout.resolve("my-home/kafka/server.properties"), "node.id=1\n");

        // when the user runs a command
        String printed = parley("--version");

        // then nothing is built
        assertThat(printed).startsWith("parley ");
        assertThat(checkout.resolve("mvnw-calls")).doesNotExist();
    }

    @Test
    void shouldRebuildWhenASourceChangesShowingMavensProgressAndNeverRewriteTheJarARunningParleyHasOpen() throws Exception {
        // given a first command, whose jar a running Parley would hold open
        parley("--version");
        Path running = checkout.resolve("app/target/run/parley.jar");
        byte[] before = Files.readAllBytes(running);
        Object file = Files.readAttributes(running, BasicFileAttributes.class).fileKey();
        try (InputStream open = Files.newInputStream(running)) {
            // when a source of the jar changes, and a Parley is built again by the next command
            Files.writeString(checkout.resolve("streams/src/main/java/Fold.java"), "class Fold { int changed; }");
            String printed = parley("--help");

            // then it was built, with Maven's progress shown
            assertThat(Files.readAllLines(checkout.resolve("mvnw-calls"))).singleElement().asString().contains("package");
            assertThat(printed).contains("Building Parley (the first build", "Building Parley streams");
            // and the jar the running Parley had open is not the file that runs now, and reads as it did: the new one
            // replaced it by a rename, while Maven rewrote its own jar in place
            assertThat(Files.readAttributes(running, BasicFileAttributes.class).fileKey()).isNotEqualTo(file);
            assertThat(open.readAllBytes()).isEqualTo(before);
        }
    }

    /** Runs {@code ./parley} in the copy, with none of this machine's Parley settings; returns stdout and stderr. */
    private String parley(String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of(checkout.resolve("parley").toString()));
        command.addAll(java.util.List.of(args));
        var builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(printed).isZero();
        return printed;
    }
}
