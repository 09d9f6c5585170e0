package io.gpuplacer.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded synthetic problems in interchange-v1 form, for benchmarks and tests: a fleet of H100 (NVLink, in racks
 * and blocks), A100 (a quarter MIG-enabled), L4 (two NVLink pairs) and T4 nodes over three zones, a spot pool,
 * a few unhealthy and cordoned nodes, running tasks, and a queue mixing gangs, whole-GPU, shared, MIG and
 * CPU-only jobs, some with deadlines. The same seed always gives the same documents.
 */
public final class ProblemGenerator {

    public static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HORIZON = 48;

    /**
     * The grid the fleet sits on: zones (in block order), their PUE, and hourly carbon (g/kWh) and price (USD/MWh)
     * from {@code now}, at least {@link #HORIZON} hours.
     */
    public record Grid(Instant now, List<String> zones, List<Double> pue, Map<String, double[]> carbon,
                       Map<String, double[]> price) {

        /** Three made-up zones with a daily wave; for placement benchmarks, where signals do not matter. */
        public static Grid synthetic() {
            List<String> zones = List.of("DE", "GB", "US-CAL");
            double[] carbonLevel = {380, 210, 240};
            double[] priceLevel = {95, 110, 70};
            Map<String, double[]> carbon = new java.util.LinkedHashMap<>();
            Map<String, double[]> price = new java.util.LinkedHashMap<>();
            for (int z = 0; z < zones.size(); z++) {
                double[] c = new double[HORIZON];
                double[] p = new double[HORIZON];
                for (int t = 0; t < HORIZON; t++) {
                    double wave = Math.sin((t + 4 * z) * Math.PI / 12);
                    c[t] = Math.round(carbonLevel[z] * (1 + 0.35 * wave));
                    p[t] = Math.round(priceLevel[z] * (1 + 0.4 * wave));
                }
                carbon.put(zones.get(z), c);
                price.put(zones.get(z), p);
            }
            return new Grid(NOW, zones, List.of(1.1, 1.2, 1.3), carbon, price);
        }
    }

    /** The three documents. */
    public record Documents(ObjectNode cluster, ObjectNode jobs, ObjectNode signals) {
    }

    private ProblemGenerator() {
    }

    public static Documents generate(int nodeCount, int taskCount, long seed) {
        return generate(nodeCount, taskCount, seed, Grid.synthetic(), 0.3);
    }

    /** On a given grid, with the given share of jobs that have a deadline (and so a window to shift in). */
    public static Documents generate(int nodeCount, int taskCount, long seed, Grid grid, double deferrableShare) {
        Random random = new Random(seed);
        List<String> zoneIds = grid.zones();
        Instant now = grid.now();
        ObjectNode cluster = JSON.createObjectNode();
        ArrayNode zones = cluster.putArray("zones");
        for (int z = 0; z < zoneIds.size(); z++) {
            zones.addObject().put("id", zoneIds.get(z)).put("pue", grid.pue().get(z));
        }
        ArrayNode nodes = cluster.putArray("nodes");
        ArrayNode running = cluster.putArray("running");
        for (int i = 0; i < nodeCount; i++) {
            int rack = i / 8;
            int block = rack / 4;
            double kind = random.nextDouble();
            ObjectNode n = nodes.addObject();
            n.put("id", String.format("n%05d", i)).put("zone", zoneIds.get(block % zoneIds.size()))
                    .put("rack", "r" + rack).put("block", "b" + block);
            boolean mig = false;
            if (kind < 0.4) {
                n.put("gpuModel", "H100-80GB").put("gpuCount", 8).put("cpuMillis", 192_000).put("memoryMiB", 2_097_152)
                        .put("costPerHour", 98.0).put("baseWatts", 1800).put("gpuBusyWatts", 630);
                islands(n, random.nextBoolean() ? List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7))
                        : List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7)));
            } else if (kind < 0.6) {
                mig = random.nextDouble() < 0.25;
                n.put("gpuModel", "A100-80GB").put("gpuCount", 8).put("cpuMillis", 128_000).put("memoryMiB", 1_048_576)
                        .put("costPerHour", 40.0).put("baseWatts", 1500).put("gpuBusyWatts", 350)
                        .put("migEnabled", mig);
            } else if (kind < 0.85) {
                n.put("gpuModel", "L4").put("gpuCount", 4).put("cpuMillis", 48_000).put("memoryMiB", 196_608)
                        .put("costPerHour", 3.4).put("baseWatts", 400).put("gpuBusyWatts", 55);
                islands(n, List.of(List.of(0, 1), List.of(2, 3)));
            } else {
                n.put("gpuModel", "T4").put("gpuCount", 4).put("cpuMillis", 64_000).put("memoryMiB", 262_144)
                        .put("costPerHour", 1.6).put("baseWatts", 300).put("gpuBusyWatts", 50);
            }
            boolean spot = random.nextDouble() < 0.15;
            n.put("capacityType", spot ? "SPOT" : "ON_DEMAND")
                    .put("interruptionPerHour", spot ? 0.01 + 0.09 * random.nextDouble() : 0.0)
                    .put("alwaysOn", random.nextDouble() < 0.05)
                    .put("healthy", random.nextDouble() >= 0.01)
                    .put("schedulable", random.nextDouble() >= 0.01);
            if (!mig && random.nextDouble() < 0.3) {
                int gpus = 1 << random.nextInt(2);
                ObjectNode r = running.addObject();
                r.put("job", "run-" + i).put("task", 0).put("node", n.get("id").asText());
                ArrayNode held = r.putArray("gpus");
                for (int g = 0; g < gpus; g++) {
                    held.add(g);
                }
                r.putNull("migStart");
                r.put("remainingHours", 1 + random.nextInt(12)).put("migratable", random.nextBoolean())
                        .put("team", "team" + random.nextInt(5)).put("priority", 50);
                r.putObject("gpu").put("kind", "WHOLE").put("count", gpus);
                r.put("cpuMillis", 8000).put("memoryMiB", 32_768).put("topology", "ANY")
                        .put("preemptible", true).put("checkpointMinutes", 30).put("restartMinutes", 5)
                        .put("utilization", 0.8);
            }
        }

        ObjectNode jobs = JSON.createObjectNode();
        jobs.put("now", now.toString()).put("horizonHours", HORIZON);
        ArrayNode queue = jobs.putArray("jobs");
        int tasks = 0;
        for (int j = 0; tasks < taskCount; j++) {
            ObjectNode job = queue.addObject();
            job.put("id", "job-" + j).put("team", "team" + random.nextInt(8)).put("priority", 1 + random.nextInt(100));
            double kind = random.nextDouble();
            int gang = 1;
            ObjectNode gpu = job.putObject("gpu");
            String topology = "ANY";
            if (kind < 0.45) {
                int[] counts = {1, 1, 1, 2, 2, 4, 8};
                gpu.put("kind", "WHOLE").put("count", counts[random.nextInt(counts.length)]);
                if (random.nextDouble() < 0.12) {
                    gang = 2 + random.nextInt(3);
                    topology = List.of("NODE", "RACK", "BLOCK", "ANY").get(random.nextInt(4));
                    if (topology.equals("NODE")) {
                        gpu.put("count", 1 + random.nextInt(2));
                    }
                } else if (random.nextDouble() < 0.1) {
                    topology = "ISLAND";
                    gpu.put("count", 2);
                }
            } else if (kind < 0.72) {
                gpu.put("kind", "SHARED").put("milli", 100 * (1 + random.nextInt(9)));
            } else if (kind < 0.82) {
                gpu.put("kind", "MIG").put("profile", List.of("1g.10gb", "2g.20gb", "3g.40gb").get(random.nextInt(3)));
                job.putArray("gpuModels").add("A100-80GB");
            } else {
                gpu.put("kind", "NONE");
            }
            if (!gpu.get("kind").asText().equals("MIG") && random.nextDouble() < 0.3) {
                job.putArray("gpuModels").add(List.of("H100-80GB", "A100-80GB", "L4", "T4").get(random.nextInt(4)));
            }
            int duration = 1 + random.nextInt(24);
            job.put("tasks", gang).put("topology", topology)
                    .put("cpuMillis", 1000 * (1 + random.nextInt(16))).put("memoryMiB", 4096 * (1 + random.nextInt(16)))
                    .put("preemptible", random.nextBoolean()).put("checkpointMinutes", 10 + random.nextInt(50))
                    .put("restartMinutes", 1 + random.nextInt(10)).put("durationHours", duration - 0.5)
                    .put("utilization", 0.3 + 0.7 * random.nextDouble());
            if (random.nextDouble() < deferrableShare) {
                job.put("deadline", now.plusSeconds(3600L * (duration + random.nextInt(24))).toString());
            }
            tasks += gang;
        }

        ObjectNode signals = JSON.createObjectNode();
        ObjectNode byZone = signals.putObject("zones");
        for (String zoneId : zoneIds) {
            ObjectNode zone = byZone.putObject(zoneId);
            ArrayNode carbon = zone.putArray("carbon");
            ArrayNode price = zone.putArray("price");
            for (int t = 0; t < HORIZON; t++) {
                String at = now.plusSeconds(3600L * t).toString();
                carbon.addObject().put("at", at).put("gPerKWh", grid.carbon().get(zoneId)[t]);
                price.addObject().put("at", at).put("usdPerMWh", grid.price().get(zoneId)[t]);
            }
        }
        return new Documents(cluster, jobs, signals);
    }

    /**
     * The same documents with queues (section 9) for the teams: team0-2 in cohort c1, team3-4 in c2, team5 alone,
     * team6-7 without a queue. Each queue lists some of the GPU models with a nominal quota around its part of the
     * cluster's GPUs of that model (team5 one of 0 or 1), and random borrowing and lending limits, fair-share weights
     * and preemption policies; some jobs and running tasks name their queue (a third of the running ones team5,
     * which so runs more than its quota already), others get it by team.
     */
    public static Documents withQueues(Documents docs, long seed) {
        Random random = new Random(seed * 31 + 7);
        java.util.Map<String, Integer> gpusPerModel = new java.util.TreeMap<>();
        docs.cluster().get("nodes").forEach(n -> gpusPerModel.merge(n.get("gpuModel").asText(),
                n.get("gpuCount").asInt(), Integer::sum));
        ArrayNode queues = docs.cluster().putArray("queues");
        String[] scopes = {"Never", "LowerPriority", "Any"};
        for (int q = 0; q <= 5; q++) {
            boolean small = q == 5; // a queue whose running work already exceeds its quota
            ObjectNode queue = queues.addObject().put("id", "team" + q);
            if (q < 5) {
                queue.put("cohort", q < 3 ? "c1" : "c2");
            }
            queue.put("fairShareWeight", 0.5 + random.nextInt(4) * 0.5);
            ArrayNode quotas = queue.putArray("quotas");
            gpusPerModel.forEach((model, total) -> {
                if (random.nextDouble() < 0.8) {
                    ObjectNode quota = quotas.addObject().put("flavor", model)
                            .put("nominalGpus", small ? random.nextInt(2)
                                    : Math.round(total / 8.0 * random.nextDouble() * 2));
                    if (random.nextBoolean()) {
                        quota.put("borrowingLimitGpus", random.nextInt(1 + total / 8));
                    }
                    if (random.nextBoolean()) {
                        quota.put("lendingLimitGpus", random.nextInt(1 + total / 8));
                    }
                }
            });
            queue.putObject("preemption").put("withinQueue", scopes[random.nextInt(2)])
                    .put("reclaimWithinCohort", scopes[random.nextInt(3)])
                    .put("borrowWithinCohort", scopes[random.nextInt(2)]);
        }
        docs.cluster().get("running").forEach(r -> {
            if (random.nextDouble() < 0.3) {
                ((ObjectNode) r).put("queue", "team5");
            }
        });
        docs.jobs().get("jobs").forEach(j -> {
            int team = Integer.parseInt(j.get("team").asText().substring(4));
            if (team <= 5 && random.nextDouble() < 0.2) {
                ((ObjectNode) j).put("queue", "team" + random.nextInt(6));
            }
        });
        return docs;
    }

    private static void islands(ObjectNode node, List<List<Integer>> islands) {
        ArrayNode out = node.putArray("nvlinkIslands");
        islands.forEach(island -> {
            ArrayNode a = out.addArray();
            island.forEach(a::add);
        });
    }

    public static String pretty(JsonNode doc) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
