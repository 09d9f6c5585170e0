package io.gpuplacer.service.capacity;

import java.io.StringReader;
import java.time.Instant;
import java.util.function.IntToDoubleFunction;

/** Hand-made histories: a CSV of {@code weeks} weeks from a Monday, demand given per hour index. */
final class Histories {

    static final Instant START = Instant.parse("2026-09-07T00:00:00Z"); // a Monday

    private Histories() {
    }

    static String csv(String zone, String model, int weeks, IntToDoubleFunction used) {
        StringBuilder out = new StringBuilder(DemandHistory.HEADER).append('\n');
        for (int h = 0; h < weeks * 168; h++) {
            out.append(START.plusSeconds(3600L * h)).append(',').append(zone).append(',').append(model).append(',')
                    .append(used.applyAsDouble(h)).append(",0\n");
        }
        return out.toString();
    }

    static DemandHistory read(String csv) throws Exception {
        return DemandHistory.read(new StringReader(csv), "history.csv");
    }

    /** 12 hours of 50 GPUs every Monday from 09:00, 10 the rest of the week. */
    static boolean burst(long hourSinceStart) {
        long inWeek = Math.floorMod(hourSinceStart, 168L);
        return inWeek >= 9 && inWeek < 21;
    }
}
