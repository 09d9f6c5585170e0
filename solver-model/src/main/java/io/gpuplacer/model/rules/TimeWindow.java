package io.gpuplacer.model.rules;

/**
 * Rule 8 as a penalty: a start before the earliest slot costs a hard point per slot early; one after the latest
 * allowed start costs a point per slot late (at least one). The constraint and the oracle both read it here.
 */
public final class TimeWindow {

    private TimeWindow() {
    }

    /** Hard points for starting in slot {@code start} with the window [earliest, latest]; 0 inside it. */
    public static long penalty(int start, int earliest, int latest) {
        if (start < earliest) {
            return earliest - (long) start;
        }
        return start > latest ? Math.max(1, (long) start - latest) : 0;
    }
}
