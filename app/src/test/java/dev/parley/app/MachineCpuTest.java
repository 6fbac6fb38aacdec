package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.BenchCommand.MachineCpu;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void shouldNameKafkaStreamsThreadsOfTheApplicationAndGroupOthersWithoutTheirNumbers() {
        assertThat(MachineCpu.threadKind("bench-16-3f2a1b", "bench-16")).isEqualTo("stream thread");
        assertThat(MachineCpu.threadKind("bench-pass-thro", "bench-pass-through")).isEqualTo("stream thread");
        assertThat(MachineCpu.threadKind("GC Thread#1", "bench-16")).isEqualTo("GC Thread");
        assertThat(MachineCpu.threadKind("C2 CompilerThre", "bench-16")).isEqualTo("C CompilerThre");
        assertThat(MachineCpu.threadKind("bench-wide-9c1d", "bench-16")).isEqualTo("bench-wide-cd");
    }

    @Test
    void shouldListTheBusiestKindsOfThreadAsSharesOfAllCoresSinceBefore() {
        int cores = Runtime.getRuntime().availableProcessors();
        MachineCpu before = new MachineCpu(0, 0, 0, 0, 0, Map.of("stream thread", 1.0, "GC Thread", 0.5));
        MachineCpu after = new MachineCpu(1_000_000_000L, 0, 0, 0, 0,
                Map.of("stream thread", 1.0 + 0.5 * cores, "GC Thread", 0.5 + 0.1 * cores, "C CompilerThre", 0.2 * cores));

        assertThat(after.busiestThreads(before, 2)).isEqualTo("stream thread 50%, C CompilerThre 20%");
        assertThat(after.busiestThreads(before, 5)).isEqualTo("stream thread 50%, C CompilerThre 20%, GC Thread 10%");
    }
}
