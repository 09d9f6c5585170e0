package io.gpuplacer.service.signals;

import io.gpuplacer.connectors.signals.SignalPoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class FilledSeriesTest {

    private static final Instant H = Instant.parse("2026-12-01T00:00:00Z");

    private static Instant at(int offset) {
        return H.plus(offset, ChronoUnit.HOURS);
    }

    private static TreeMap<Instant, SignalPoint> known(int from, int to, boolean estimated) {
        TreeMap<Instant, SignalPoint> out = new TreeMap<>();
        for (int h = from; h < to; h++) {
            out.put(at(h), new SignalPoint(at(h), 100 + h, estimated, "lifecycle", null));
        }
        return out;
    }

    @Test
    void givenHoursStayAsGivenAndTheRestRepeatTheDayBefore() {
        TreeMap<Instant, SignalPoint> known = known(-24, 6, false); // yesterday and the first 6 hours
        FilledSeries s = FilledSeries.fill(known, H, 60);
        assertThat(s.hours()).hasSize(60);
        assertThat(s.covered()).isEqualTo(6);
        assertThat(s.estimated()).isEqualTo(54);
        assertThat(s.hours().get(3).value()).isEqualTo(103);
        assertThat(s.hours().get(3).filled()).isFalse();
        assertThat(s.hours().get(3).estimated()).isFalse();
        assertThat(s.hours().get(6).value()).isEqualTo(100 - 18); // hour 6 takes hour -18
        assertThat(s.hours().get(23).value()).isEqualTo(99);      // hour 23 takes hour -1
        assertThat(s.hours().get(26).value()).isEqualTo(102);     // hour 26 takes hour 2, given
        assertThat(s.hours().get(30).value()).isEqualTo(100 - 18); // hour 30 takes hour 6, itself filled
        assertThat(s.hours().get(59).value()).isEqualTo(s.hours().get(35).value());
        assertThat(s.hours().get(30).estimated()).isTrue();
        assertThat(s.hours().get(30).estimationMethod()).isEqualTo(FilledSeries.REPEATED);
        assertThat(s.hours().get(30).emissionFactorType()).isEqualTo("lifecycle");
    }

    @Test
    void withoutTheDayBeforeAHourHoldsTheNearestValue() {
        FilledSeries s = FilledSeries.fill(known(2, 5, true), H, 8);
        // hours 0, 1: before the first given hour, the first; 5..7: the last given (no day before)
        assertThat(s.hours()).extracting(FilledSeries.Hour::value)
                .containsExactly(102.0, 102.0, 102.0, 103.0, 104.0, 104.0, 104.0, 104.0);
        assertThat(s.hours()).allMatch(FilledSeries.Hour::estimated); // given hours were estimated too
        assertThat(s.hours().get(0).estimationMethod()).isEqualTo(FilledSeries.HELD);
        assertThat(s.covered()).isEqualTo(3);
        assertThat(s.estimated()).isEqualTo(8);
    }

    @Test
    void aGivenHourLaterThanTheLastFilledOneIsTheNearestBefore() {
        TreeMap<Instant, SignalPoint> known = known(0, 1, false);
        known.put(at(3), new SignalPoint(at(3), 500, false, null, null));
        FilledSeries s = FilledSeries.fill(known, H, 6);
        assertThat(s.hours()).extracting(FilledSeries.Hour::value)
                .containsExactly(100.0, 100.0, 100.0, 500.0, 500.0, 500.0);
        assertThat(s.hours()).extracting(FilledSeries.Hour::filled)
                .containsExactly(false, true, true, false, true, true);
    }

    @Test
    void aSourceWithNothingGivesNothing() {
        FilledSeries s = FilledSeries.fill(new TreeMap<>(), H, 48);
        assertThat(s.hours()).isEmpty();
        assertThat(s.covered()).isZero();
        assertThat(s.estimated()).isZero();
    }
}
