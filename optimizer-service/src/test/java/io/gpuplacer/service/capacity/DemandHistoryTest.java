package io.gpuplacer.service.capacity;

import io.gpuplacer.model.interchange.InputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history CSV: bad input named by line, field and value; gaps said, and left out of the statistics. */
class DemandHistoryTest {

    private static final String H = DemandHistory.HEADER + "\n";

    @Test
    void badInputNamesTheLineTheFieldAndTheValue() {
        assertThatThrownBy(() -> Histories.read("hour,zone,used\n")).isInstanceOf(InputException.class)
                .hasMessage("history.csv line 1: the header must be \"" + DemandHistory.HEADER + "\", not \"hour,zone,"
                        + "used\"");
        assertThatThrownBy(() -> Histories.read(H + "2026-10-01T00:00:00Z,SE,H100-80GB,-1,0\n"))
                .hasMessage("history.csv line 2: usedGpus -1 must be 0..10000000 (GPUs)");
        assertThatThrownBy(() -> Histories.read(H + "2026-10-01T00:00:00Z,SE,H100-80GB,4,x\n"))
                .hasMessage("history.csv line 2: pendingGpus \"x\" is not a number");
        assertThatThrownBy(() -> Histories.read(H + "2026-10-01T00:30:00Z,SE,H100-80GB,4,0\n"))
                .hasMessage("history.csv line 2: hour 2026-10-01T00:30:00Z must be on a whole hour");
        assertThatThrownBy(() -> Histories.read(H + "yesterday,SE,H100-80GB,4,0\n"))
                .hasMessage("history.csv line 2: hour \"yesterday\" is not an instant like 2026-11-02T13:00:00Z");
        assertThatThrownBy(() -> Histories.read(H + "2026-10-01T00:00:00Z,SE,H100-80GB,4,0\n"
                + "2026-10-01T00:00:00Z,SE,H100-80GB,5,0\n"))
                .hasMessage("history.csv line 3: hour 2026-10-01T00:00:00Z of SE H100-80GB is given twice");
        assertThatThrownBy(() -> Histories.read(H + "2026-10-01T00:00:00Z,SE,4,0\n"))
                .hasMessage("history.csv line 2: 4 fields, expected 5 (" + DemandHistory.HEADER + ")");
        assertThatThrownBy(() -> Histories.read(H)).hasMessage("history.csv: no rows after the header (one per hour, "
                + "zone and GPU model is needed)");
    }

    @Test
    void gapsAreSaidAndLeftOutOfThePeaks() throws Exception {
        StringBuilder csv = new StringBuilder(H);
        for (int h = 0; h < 168; h++) {
            if (h < 100 || h >= 110) { // ten hours missing
                csv.append(Histories.START.plusSeconds(3600L * h)).append(",SE,H100-80GB,").append(h % 2 == 0 ? 4 : 6)
                        .append(",1\n");
            }
        }
        DemandHistory history = Histories.read(csv.toString());
        assertThat(history.warnings()).containsExactly("history.csv: SE H100-80GB has no row for 10 of its 168 hours "
                + "(first missing: 2026-09-11T04:00:00Z); they are left out of its peaks and means");
        DemandHistory.Series s = history.series().get(new DemandHistory.Key("SE", "H100-80GB"));
        assertThat(s.demand(100)).isNaN();
        DemandForecast f = new DemandForecast(s);
        assertThat(f.weeklyPeaks()).containsExactly(7); // used plus pending
        assertThat(f.weeklyMeans()[0]).isEqualTo(6); // 79 hours at 5, 79 at 7
    }
}
