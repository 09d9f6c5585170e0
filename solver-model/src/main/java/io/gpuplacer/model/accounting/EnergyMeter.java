package io.gpuplacer.model.accounting;

import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.SignalSeries;

import java.util.Arrays;

/**
 * The energy, emissions, energy cost and on-hours of one node carrying a set of tasks (interchange v1.1 section
 * 6), the one function behind the accounting, the soft constraints, the oracle and the explanations. A node is
 * on in slot t when it hosts a task then, or it is alwaysOn and t is inside the horizon; when on it draws
 * baseWatts plus each task's busy watts, times its zone's PUE. Tasks may run past the horizon: those hours are
 * priced by the zone's extended series ({@link SignalSeries}) and reported apart.
 *
 * <p>Two views: {@link Mode#TOTAL} is what the node consumes (the accounting); {@link Mode#MARGINAL} is what
 * the decisions cause (the solver), which leaves out an alwaysOn node's base draw and hourly price inside the
 * horizon, spent whatever we decide. Cost: O(tasks log tasks) per node, by a sweep over start and end slots.
 */
public final class EnergyMeter {

    public enum Mode { TOTAL, MARGINAL }

    /**
     * What the node draws: kWh (PUE included), grams of CO2e, energy cost in USD, the slots it is on (counted at
     * its hourly price), and the parts of kWh, grams, USD and slots that lie past the horizon.
     */
    public record Reading(double kWh, double co2eGrams, double energyCostUsd, int onSlots, double extendedKWh,
                          double extendedCo2eGrams, double extendedEnergyCostUsd, int extendedOnSlots) {

        public static final Reading NONE = new Reading(0, 0, 0, 0, 0, 0, 0, 0);
    }

    private EnergyMeter() {
    }

    /**
     * Reads a node carrying {@code n} tasks, task i over slots [starts[i], ends[i]) drawing busyWatts[i] (its
     * gpuBusyWatts x utilization x GPU share); ends may lie past the horizon, starts not before 0.
     */
    public static Reading read(Node node, int horizon, int n, int[] starts, int[] ends, double[] busyWatts,
                               Mode mode) {
        boolean alwaysOnInHorizon = node.alwaysOn();
        if (n == 0 && !(alwaysOnInHorizon && mode == Mode.TOTAL)) {
            return Reading.NONE;
        }
        // Events: +busy at a start, -busy at an end; the horizon and (for an alwaysOn node) slot 0 as boundaries.
        long[] events = new long[2 * n + 2];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (ends[i] > starts[i]) {
                events[count++] = event(starts[i], i, true);
                events[count++] = event(ends[i], i, false);
            }
        }
        events[count++] = event(0, n, true);
        events[count++] = event(horizon, n, true);
        Arrays.sort(events, 0, count);
        SignalSeries signals = node.zone().signals();
        double pue = node.zone().pue();
        double kWh = 0;
        double grams = 0;
        double usd = 0;
        int onSlots = 0;
        double extKWh = 0;
        double extGrams = 0;
        double extUsd = 0;
        int extSlots = 0;
        int active = 0;
        double busy = 0;
        int k = 0;
        while (k < count) {
            int a = slotOf(events[k]);
            while (k < count && slotOf(events[k]) == a) { // apply every event at slot a
                int i = taskOf(events[k]);
                if (i < n) {
                    boolean starting = isStart(events[k]);
                    active += starting ? 1 : -1;
                    busy += starting ? busyWatts[i] : -busyWatts[i];
                }
                k++;
            }
            if (active == 0) {
                busy = 0; // no drift of rounding across idle gaps
            }
            if (k == count) {
                break;
            }
            int b = slotOf(events[k]);
            boolean inHorizon = a < horizon;
            boolean alwaysOnHere = alwaysOnInHorizon && inHorizon;
            if (active == 0 && !(alwaysOnHere && mode == Mode.TOTAL)) {
                continue;
            }
            boolean baseIsOurs = !(alwaysOnHere && mode == Mode.MARGINAL);
            double perSlotKWh = ((baseIsOurs ? node.baseWatts() : 0.0) + busy) * pue / 1000.0;
            int slots = b - a;
            double segKWh = perSlotKWh * slots;
            double segGrams = perSlotKWh * signals.carbonSum(a, b);
            double segUsd = perSlotKWh * signals.priceSum(a, b) / 1000.0;
            int segOn = baseIsOurs ? slots : 0;
            kWh += segKWh;
            grams += segGrams;
            usd += segUsd;
            onSlots += segOn;
            if (!inHorizon) {
                extKWh += segKWh;
                extGrams += segGrams;
                extUsd += segUsd;
                extSlots += segOn;
            }
        }
        return new Reading(kWh, grams, usd, onSlots, extKWh, extGrams, extUsd, extSlots);
    }

    // An event packs (slot, end-before-start order, task index) into one sortable long; ends sort before starts
    // at the same slot, which does not change a sum but keeps the active count from overshooting.
    private static long event(int slot, int task, boolean start) {
        return ((long) slot << 32) | ((start ? 1L : 0L) << 31) | task;
    }

    private static int slotOf(long event) {
        return (int) (event >> 32);
    }

    private static int taskOf(long event) {
        return (int) (event & 0x7fffffffL);
    }

    private static boolean isStart(long event) {
        return ((event >> 31) & 1L) == 1L;
    }
}
