package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ParleyVersionTest {

    @Test
    void shouldNameTheGitRevisionItWasBuiltFrom() {
        assertThat(Parley.Version.describe(props("0.1.0", "45a2884", "false"))).isEqualTo("parley 0.1.0 (git 45a2884)");
        assertThat(Parley.Version.describe(props("0.1.0", "45a2884", "true"))).isEqualTo("parley 0.1.0 (git 45a2884-dirty)");
    }

    @Test
    void shouldGoWithoutARevisionWhenBuiltOutsideGit() {
        // the build leaves the placeholder when there is no git checkout
        assertThat(Parley.Version.describe(props("0.1.0", "${git.commit.id.abbrev}", "${git.dirty}"))).isEqualTo("parley 0.1.0");
    }

    private static Properties props(String version, String revision, String dirty) {
        Properties props = new Properties();
        props.setProperty("version", version);
        props.setProperty("revision", revision);
        props.setProperty("dirty", dirty);
        return props;
    }
}
