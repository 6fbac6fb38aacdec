package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpCommandTest {

    @Test
    void shouldPrintAnAddressAPersonOnThisMachineCanOpen() {
        assertThat(UpCommand.baseUrl("127.0.0.1", 8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(UpCommand.baseUrl("0.0.0.0", 8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(UpCommand.baseUrl("192.0.2.7", 8081)).isEqualTo("http://192.0.2.7:8081");
        assertThat(UpCommand.baseUrl("::1", 8080)).isEqualTo("http://[::1]:8080");
    }
}
