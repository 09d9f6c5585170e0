package io.gpuplacer.service.fairness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A shared cluster for the fairness benchmark: H100 nodes (always on, as a shared cluster's are: their base draw is
 * spent whether work runs or not) in two grid zones with real hourly series, four team
 * queues in one cohort whose nominal quotas add up to the cluster (weights 1, 1, 2, 1; preemption as Kueue's
 * common setup: lower priority within a queue, reclaim from any borrower, borrow while reclaiming from lower
 * priority), and a week of bursty arrivals: each team has busy and quiet days, jobs of 1 to 8 GPUs for 1 to 12
 * hours, a fifth of them high priority, half of them deferrable (a deadline 6 to 24 hours after their duration).
 */
public final class FairnessWorkload {

    public static final String FLAVOR = "H100-80GB";
    /** Hours of arrivals simulated before the measured hours, and after them. */
    static final int WARM_UP = 24;
    static final int COOL_DOWN = 48;
    static final int GPUS_PER_NODE = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A team's queue: id, share of the cluster as nominal quota, fair-share weight, arrival rate when busy. */
    record Team(String id, double share, double weight, double busyRate) {
    }

    static final List<Team> TEAMS = List.of(new Team("nlp", 0.375, 1, 3.0), new Team("vision", 0.25, 1, 2.2),
            new Team("speech", 0.25, 2, 1.6), new Team("research", 0.125, 1, 1.2));

    /** A job as it arrives: single task of WHOLE GPUs. {@code deadlineHour} is absolute, or -1 (start now). */
    public record Arrival(String id, String queue, int priority, int gpus, int hours, int arrivalHour,
                          int deadlineHour, double checkpointMinutes, double restartMinutes) {
    }

    private final ObjectNode cluster;
    private final List<Arrival> arrivals;
    private final ProblemGenerator.Grid grid;
    private final int hours;

    private FairnessWorkload(ObjectNode cluster, List<Arrival> arrivals, ProblemGenerator.Grid grid, int hours) {
        this.cluster = cluster;
        this.arrivals = arrivals;
        this.grid = grid;
        this.hours = hours;
    }

    /**
     * {@code nodes} H100 nodes split over the grid's first two zones; {@code hours} measured, with a day of arrivals
     * before and two after ({@link #WARM_UP}, {@link #COOL_DOWN}); {@code load} scales
     * the arrival rates (1: busy hours ask about as many GPU-hours as the cluster has; 2: twice as many).
     */
    public static FairnessWorkload generate(int nodes, int hours, long seed, ProblemGenerator.Grid grid,
                                            double load) {
        ObjectNode cluster = JSON.createObjectNode();
        ArrayNode zones = cluster.putArray("zones");
        for (int z = 0; z < 2; z++) {
            zones.addObject().put("id", grid.zones().get(z)).put("pue", grid.pue().get(z));
        }
        ArrayNode nodeArray = cluster.putArray("nodes");
        for (int i = 0; i < nodes; i++) {
            nodeArray.addObject().put("id", String.format("h%03d", i)).put("zone", grid.zones().get(i % 2))
                    .put("block", "b" + (i % 2)).put("gpuModel", FLAVOR).put("gpuCount", GPUS_PER_NODE)
                    .put("cpuMillis", 192_000).put("memoryMiB", 2_097_152).put("capacityType", "ON_DEMAND")
                    .put("costPerHour", 98.0).put("baseWatts", 1800).put("gpuBusyWatts", 630)
                    .put("alwaysOn", true);
        }
        int gpus = nodes * GPUS_PER_NODE;
        ArrayNode queues = cluster.putArray("queues");
        for (Team team : TEAMS) {
            ObjectNode q = queues.addObject().put("id", team.id()).put("cohort", "lab")
                    .put("fairShareWeight", team.weight());
            q.putArray("quotas").addObject().put("flavor", FLAVOR).put("nominalGpus", Math.round(team.share() * gpus));
            q.putObject("preemption").put("withinQueue", "LowerPriority").put("reclaimWithinCohort", "Any")
                    .put("borrowWithinCohort", "LowerPriority");
        }
        cluster.putArray("running");
        Random random = new Random(seed);
        List<Arrival> arrivals = new ArrayList<>();
        int[] sizes = {1, 1, 2, 2, 4, 4, 8};
        int next = 0;
        for (int t = 0; t < TEAMS.size(); t++) {
            Team team = TEAMS.get(t);
            int simulated = WARM_UP + hours + COOL_DOWN;
            boolean[] busyDay = new boolean[simulated / 24 + 2];
            for (int d = 0; d < busyDay.length; d++) {
                busyDay[d] = random.nextDouble() < 0.5;
            }
            for (int h = 0; h < simulated; h++) {
                // Bursty: busy days in working hours bring the team's rate, the rest a tenth of it.
                boolean working = h % 24 >= 8 && h % 24 < 20;
                double rate = load * team.busyRate() * (nodes / 16.0) * (busyDay[h / 24] && working ? 1 : 0.1);
                int count = poisson(random, rate);
                for (int k = 0; k < count; k++) {
                    int duration = 1 + random.nextInt(12);
                    int deadline = random.nextBoolean() ? h + duration + 6 + random.nextInt(19) : -1;
                    arrivals.add(new Arrival("j" + (next++), team.id(), random.nextDouble() < 0.2 ? 100 : 10,
                            sizes[random.nextInt(sizes.length)], duration, h, deadline, 30, 5));
                }
            }
        }
        arrivals.sort(java.util.Comparator.comparingInt(Arrival::arrivalHour).thenComparing(Arrival::id));
        return new FairnessWorkload(cluster, List.copyOf(arrivals), grid, hours);
    }

    private static int poisson(Random random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** The cluster document without running work (nodes, zones, queues). */
    public ObjectNode cluster() {
        return cluster.deepCopy();
    }

    public List<Arrival> arrivals() {
        return arrivals;
    }

    /** The measured hours. */
    public int hours() {
        return hours;
    }

    /** Every hour simulated: warm-up, the measured hours, cool-down. */
    int simulatedHours() {
        return WARM_UP + hours + COOL_DOWN;
    }

    /** Whether the hour (from the start of the simulation) is measured. */
    boolean measured(int hour) {
        return hour >= WARM_UP && hour < WARM_UP + hours;
    }

    public ProblemGenerator.Grid grid() {
        return grid;
    }

    /** Carbon intensity of a zone at an hour from the start; the grid's series repeated to cover any hour. */
    double carbon(String zone, int hour) {
        double[] series = grid.carbon().get(zone);
        return series[Math.floorMod(hour, series.length)];
    }

    double price(String zone, int hour) {
        double[] series = grid.price().get(zone);
        return series[Math.floorMod(hour, series.length)];
    }
}
