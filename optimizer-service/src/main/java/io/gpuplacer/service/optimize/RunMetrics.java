package io.gpuplacer.service.optimize;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runs' metrics: {@code gpuplacer.optimization.best.score} (by level, the newest best of any run),
 * {@code gpuplacer.optimization.duration} and {@code gpuplacer.optimizations} (ended runs by status).
 */
final class RunMetrics {

    private final MeterRegistry metrics;
    private final Timer durations;
    private final AtomicLong[] bestScore = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

    RunMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
        this.durations = Timer.builder("gpuplacer.optimization.duration")
                .description("wall time of finished optimization runs").register(metrics);
        String[] levels = {"hard", "medium", "soft"};
        for (int i = 0; i < 3; i++) {
            metrics.gauge("gpuplacer.optimization.best.score", List.of(Tag.of("level", levels[i])), bestScore[i],
                    AtomicLong::doubleValue);
        }
    }

    void best(HardMediumSoftLongScore score) {
        bestScore[0].set(score.hardScore());
        bestScore[1].set(score.mediumScore());
        bestScore[2].set(score.softScore());
    }

    void took(Duration took) {
        durations.record(took);
    }

    void ended(String status) {
        Counter.builder("gpuplacer.optimizations").tag("status", status).register(metrics).increment();
    }
}
