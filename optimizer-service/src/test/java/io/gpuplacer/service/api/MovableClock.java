package io.gpuplacer.service.api;

import io.gpuplacer.service.ClockFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock moved forward by what a test says (with {@code test.movable-clock: true}): hours pass at once. */
public final class MovableClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    /** Moves the clock on. */
    public void advance(Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    /** The service's clock replaced by a movable one. */
    @Factory
    @Requires(property = "test.movable-clock", value = "true")
    static class Replacement {
        @Singleton
        @Replaces(bean = Clock.class, factory = ClockFactory.class)
        MovableClock clock() {
            return new MovableClock();
        }
    }
}
