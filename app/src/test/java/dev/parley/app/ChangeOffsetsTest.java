package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeOffsetsTest {

    @Test
    void shouldWriteTheNextOffsetOfEachPartitionInPartitionOrder() {
        // given
        var offsets = ChangeOffsets.of(Map.of(2, 3L, 0, 12L, 1, 7L));

        // when
        String id = offsets.encode();

        // then
        assertThat(id).isEqualTo("0-12.1-7.2-3");
    }

    @Test
    void shouldReadBackWhatItWrote() {
        // given
        var offsets = ChangeOffsets.of(Map.of(0, 12L, 1, 7L, 2, 3L));

        // when
        var read = ChangeOffsets.parse(offsets.encode());

        // then
        assertThat(read).isEqualTo(offsets);
        assertThat(read.nextOffset(1)).isEqualTo(7L);
    }

    @Test
    void shouldMoveOnePartitionPastTheRecordJustSent() {
        // given
        var offsets = ChangeOffsets.parse("0-12.1-7.2-3");

        // when
        var after = offsets.after(1, 7);

        // then
        assertThat(after.encode()).isEqualTo("0-12.1-8.2-3");
        assertThat(offsets.encode()).isEqualTo("0-12.1-7.2-3");
    }

    @Test
    void shouldStartAPartitionTheIdDoesNotNameFromItsBeginning() {
        // given an id written before the topic got a third partition
        var offsets = ChangeOffsets.parse("0-12.1-7");

        // when / then
        assertThat(offsets.nextOffset(2)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0-12.1", "0-12..1-7", "0-x", "-1-3", "0-12.0-13", "0-12,1-7", "12"})
    void shouldRefuseAnIdThatIsNotAPositionWithAMessageThatSaysWhatWasExpected(String id) {
        // when / then
        assertThatThrownBy(() -> ChangeOffsets.parse(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Last-Event-ID: \"" + id + "\" is not a position in the changes (")
                .hasMessageContaining("e.g. 0-12.1-7.2-3");
    }
}
