package io.gpuplacer.service.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The readings of each hour, averaged per task, for the ledger to price that hour with. */
class HourlyTelemetryTest {

    private static final Instant TEN = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void eachHourIsTheMeanOfItsOwnReadings() {
        HourlyTelemetry hourly = new HourlyTelemetry();
        hourly.record(TEN.plus(10, ChronoUnit.MINUTES), Map.of("train#0", 0.2, "web#0", 0.5), Map.of("train#0", 300.0));
        hourly.record(TEN.plus(40, ChronoUnit.MINUTES), Map.of("train#0", 0.6), Map.of("train#0", 500.0));
        hourly.record(TEN.plus(65, ChronoUnit.MINUTES), Map.of("train#0", 0.9), Map.of());

        assertThat(hourly.utilization(TEN).get("train#0")).isCloseTo(0.4, within(1e-12));
        assertThat(hourly.utilization(TEN).get("web#0")).isCloseTo(0.5, within(1e-12));
        assertThat(hourly.watts(TEN.plus(59, ChronoUnit.MINUTES))).isEqualTo(Map.of("train#0", 400.0));
        assertThat(hourly.utilization(TEN.plus(1, ChronoUnit.HOURS))).isEqualTo(Map.of("train#0", 0.9));
        assertThat(hourly.watts(TEN.plus(1, ChronoUnit.HOURS))).isEmpty();
        assertThat(hourly.utilization(TEN.plus(2, ChronoUnit.HOURS))).as("nothing read in that hour").isNull();
    }

    @Test
    void onlyTheLastHoursAreKept() {
        HourlyTelemetry hourly = new HourlyTelemetry();
        for (int h = 0; h <= HourlyTelemetry.HOURS; h++) {
            hourly.record(TEN.plus(h, ChronoUnit.HOURS), Map.of("train#0", h / 10.0), Map.of());
        }
        assertThat(hourly.utilization(TEN)).as("the oldest hour went").isNull();
        assertThat(hourly.utilization(TEN.plus(HourlyTelemetry.HOURS, ChronoUnit.HOURS)).get("train#0"))
                .isCloseTo(HourlyTelemetry.HOURS / 10.0, within(1e-12));
    }
}
