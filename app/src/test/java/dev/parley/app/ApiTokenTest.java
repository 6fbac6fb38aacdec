package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path home;

    private final SecureRandom random = new SecureRandom();

    private String stored() throws Exception {
        return Files.readString(home.resolve(ApiToken.FILE_NAME), StandardCharsets.UTF_8).trim();
    }

    @Test
    void shouldGenerateARandomTokenInTheHomeFolderWhenNoneIsConfigured() throws Exception {
        // when
        ApiToken token = ApiToken.resolve(null, home, random);

        // then 32 random bytes, base64url, in <home>/api-token, and that is the token
        assertThat(token.file()).contains(home.resolve(ApiToken.FILE_NAME));
        assertThat(stored()).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.matches(stored())).isTrue();
        assertThat(home).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void shouldMakeTheTokenFileReadableByItsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));

        // when
        ApiToken.resolve(null, home, random);

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(ApiToken.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldReuseTheStoredTokenAcrossRestarts() throws Exception {
        // given a first start
        ApiToken.resolve(null, home, random);
        String first = stored();

        // when Parley starts again
        ApiToken again = ApiToken.resolve(null, home, random);

        // then the token is the same
        assertThat(stored()).isEqualTo(first);
        assertThat(again.matches(first)).isTrue();
    }

    @Test
    void shouldTightenATokenFileOthersCouldRead() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // given a token file someone made world-readable
        Path file = home.resolve(ApiToken.FILE_NAME);
        Files.writeString(file, "kept-token\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        // when
        ApiToken token = ApiToken.resolve(null, home, random);

        // then it is still the token, and only its owner can read it
        assertThat(token.matches("kept-token")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void shouldReplaceAnEmptyTokenFile() throws Exception {
        // given
        Files.writeString(home.resolve(ApiToken.FILE_NAME), "  \n");

        // when
        ApiToken token = ApiToken.resolve(null, home, random);

        // then
        assertThat(stored()).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.matches(stored())).isTrue();
    }

    @Test
    void shouldUseTheConfiguredTokenAndWriteNoFile() throws Exception {
        // when
        ApiToken token = ApiToken.resolve("configured-secret", home, random);

        // then
        assertThat(token.matches("configured-secret")).isTrue();
        assertThat(token.file()).isEmpty();
        assertThat(home.resolve(ApiToken.FILE_NAME)).doesNotExist();
    }

    @Test
    void shouldRefuseAnyOtherToken() {
        // given
        ApiToken token = ApiToken.of("configured-secret");

        // when / then
        assertThat(token.matches("configured-secreT")).isFalse();
        assertThat(token.matches("configured-secret-and-more")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }
}
