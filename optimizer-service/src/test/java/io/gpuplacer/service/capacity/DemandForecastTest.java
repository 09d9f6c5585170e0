package io.gpuplacer.service.capacity;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trend on the weekly peaks and means of hand-made histories: flat, growing, bursty, a step. */
class DemandForecastTest {

    private static DemandForecast forecast(String csv) throws Exception {
        return new DemandForecast(Histories.read(csv).series().values().iterator().next());
    }

    @Test
    void aFlatHistoryStaysFlat() throws Exception {
        DemandForecast f = forecast(Histories.csv("SE", "H100-80GB", 4, h -> 10));
        assertThat(f.weeklyPeaks()).containsExactly(10, 10, 10, 10);
        assertThat(f.peakFit().slopePerWeek()).isZero();
        assertThat(f.peakFit().rmse()).isZero();
        assertThat(f.peakAt(Histories.START.plusSeconds(3600L * 24 * 7 * 30))).isEqualTo(10);
        assertThat(f.hourly(Histories.START.plusSeconds(3600L * 24 * 7 * 10), 5)).containsOnly(10);
    }

    @Test
    void aGrowingHistoryGrowsAtItsRate() throws Exception {
        // 2 GPUs more every week, hour by hour: 10 + 2h/168.
        DemandForecast f = forecast(Histories.csv("SE", "H100-80GB", 6, h -> 10 + 2.0 * h / 168));
        // A week's p95 is its hour 159 of 168 (nearest rank): 10 + 2w + 2 * 159/168.
        for (int w = 0; w < 6; w++) {
            assertThat(f.weeklyPeaks()[w]).isCloseTo(10 + 2 * w + 2 * 159 / 168.0, within(1e-9));
        }
        assertThat(f.peakFit().slopePerWeek()).isCloseTo(2, within(1e-9));
        assertThat(f.peakFit().rmse()).isCloseTo(0, within(1e-9));
        // Ten weeks after the start: the week's p95 trend, standing at the week's middle.
        Instant tenWeeks = Histories.START.plusSeconds(3600L * 168 * 10);
        assertThat(f.peakAt(tenWeeks)).isCloseTo(10 + 2 * 10 + 2 * 159 / 168.0 - 1, within(1e-9));
        // A week's mean is 10 + 2w + 2 * 83.5/168 (its mean hour is 83.5), standing at the week's middle.
        assertThat(f.meanAt(tenWeeks)).isCloseTo(10 + 2 * 10 + 2 * 83.5 / 168 - 1, within(1e-9));
    }

    @Test
    void aBurstyHistoryPeaksAtItsBurstsAndKeepsTheirShapeAhead() throws Exception {
        DemandForecast f = forecast(Histories.csv("SE", "H100-80GB", 4, h -> Histories.burst(h) ? 50 : 10));
        // 12 of 168 hours at 50: the p95 (rank 160) is a burst hour; the mean is (156 * 10 + 12 * 50) / 168.
        assertThat(f.weeklyPeaks()).containsExactly(50, 50, 50, 50);
        assertThat(f.weeklyMeans()[0]).isCloseTo((156 * 10 + 12 * 50) / 168.0, within(1e-9));
        // Ahead, the hours of the week keep their bursts: the Monday 09:00-21:00 of week 9 at 50, the rest at 10.
        Instant week9 = Histories.START.plusSeconds(3600L * 168 * 9);
        double[] ahead = f.hourly(week9, 168);
        for (int h = 0; h < 168; h++) {
            assertThat(ahead[h]).as("hour " + h).isCloseTo(Histories.burst(h) ? 50 : 10, within(1e-9));
        }
    }

    @Test
    void aStepIsTakenAsGrowthAndItsErrorSaysHowBadlyItFits() throws Exception {
        DemandForecast f = forecast(Histories.csv("SE", "H100-80GB", 6, h -> h < 3 * 168 ? 10 : 30));
        assertThat(f.weeklyPeaks()).containsExactly(10, 10, 10, 30, 30, 30);
        // Least squares on (0.5, 10) ... (5.5, 30): Sxy = 90, Sxx = 17.5.
        double slope = 90 / 17.5;
        double intercept = 20 - slope * 3;
        assertThat(f.peakFit().slopePerWeek()).isCloseTo(slope, within(1e-9));
        double sse = 0;
        double[] ys = {10, 10, 10, 30, 30, 30};
        for (int w = 0; w < 6; w++) {
            double r = ys[w] - (intercept + slope * (w + 0.5));
            sse += r * r;
        }
        assertThat(f.peakFit().rmse()).isCloseTo(Math.sqrt(sse / 6), within(1e-9)).isGreaterThan(4);
    }
}
