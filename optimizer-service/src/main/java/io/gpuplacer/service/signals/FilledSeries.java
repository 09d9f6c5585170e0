package io.gpuplacer.service.signals;

import io.gpuplacer.connectors.signals.SignalPoint;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The hours [from, from + hours) of one source: those it gave as it gave them, the rest filled by the v1.1
 * extension (an hour takes the value of the hour 24 hours before it, given or filled; where there is none, the
 * latest value before it, else the first after it) and marked estimated. Empty when the source has no value at all.
 *
 * @param covered   hours the source gave
 * @param estimated hours resting on an estimate: the provider's, or filled here
 */
public record FilledSeries(List<Hour> hours, int covered, int estimated) {

    /** One hour in force; {@code filled}: the source did not give it. */
    public record Hour(Instant at, double value, boolean estimated, boolean filled, String emissionFactorType,
                       String estimationMethod) {
    }

    static final String REPEATED = "repeats the hour 24 hours before (source had no value)";
    static final String HELD = "holds the nearest value (source had no value)";

    public static FilledSeries fill(NavigableMap<Instant, SignalPoint> known, Instant from, int hours) {
        if (known.isEmpty()) {
            return new FilledSeries(List.of(), 0, 0);
        }
        TreeMap<Instant, Hour> out = new TreeMap<>();
        int covered = 0;
        int estimated = 0;
        for (int h = 0; h < hours; h++) {
            Instant at = from.plus(h, ChronoUnit.HOURS);
            SignalPoint given = known.get(at);
            Hour hour;
            if (given != null) {
                covered++;
                hour = new Hour(at, given.value(), given.estimated(), false, given.emissionFactorType(),
                        given.estimationMethod());
            } else {
                hour = filled(known, out, at);
            }
            estimated += hour.estimated() ? 1 : 0;
            out.put(at, hour);
        }
        return new FilledSeries(List.copyOf(out.values()), covered, estimated);
    }

    private static Hour filled(NavigableMap<Instant, SignalPoint> known, TreeMap<Instant, Hour> sofar, Instant at) {
        Instant dayBefore = at.minus(24, ChronoUnit.HOURS);
        Hour earlier = sofar.get(dayBefore);
        if (earlier != null) {
            return new Hour(at, earlier.value(), true, true, earlier.emissionFactorType(), REPEATED);
        }
        SignalPoint given = known.get(dayBefore);
        if (given != null) {
            return new Hour(at, given.value(), true, true, given.emissionFactorType(), REPEATED);
        }
        Map.Entry<Instant, Hour> before = sofar.lowerEntry(at);
        Map.Entry<Instant, SignalPoint> knownBefore = known.lowerEntry(at);
        if (before != null && (knownBefore == null || !knownBefore.getKey().isAfter(before.getKey()))) {
            return new Hour(at, before.getValue().value(), true, true, before.getValue().emissionFactorType(), HELD);
        }
        SignalPoint nearest = knownBefore != null ? knownBefore.getValue() : known.ceilingEntry(at).getValue();
        return new Hour(at, nearest.value(), true, true, nearest.emissionFactorType(), HELD);
    }
}
