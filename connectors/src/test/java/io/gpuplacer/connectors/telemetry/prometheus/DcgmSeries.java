package io.gpuplacer.connectors.telemetry.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * OpenMetrics text in the DCGM exporter's names and labels, for backfilling: one family after the other, each
 * series' samples a minute apart from {@code start} (epoch seconds) for {@code minutes} minutes.
 */
public final class DcgmSeries {

    private final long start;
    private final int minutes;
    private final List<String> families = new ArrayList<>();
    private String currentFamily;
    private StringBuilder current;

    public DcgmSeries(long start, int minutes) {
        this.start = start;
        this.minutes = minutes;
    }

    public long end() {
        return start + 60L * (minutes - 1);
    }

    /** One series: {@code value(m)} is its value at minute m. */
    public DcgmSeries series(String family, String labels, IntToDoubleFunction value) {
        if (!family.equals(currentFamily)) {
            flush();
            currentFamily = family;
            current = new StringBuilder("# TYPE " + family + " gauge\n");
        }
        for (int m = 0; m < minutes; m++) {
            current.append(family).append('{').append(labels).append("} ")
                    .append(String.format(Locale.ROOT, "%.3f", value.applyAsDouble(m))).append(' ')
                    .append(start + 60L * m).append('\n');
        }
        return this;
    }

    private void flush() {
        if (current != null) {
            families.add(current.toString());
        }
    }

    public String text() {
        flush();
        current = null;
        currentFamily = null;
        return String.join("", families) + "# EOF\n";
    }
}
