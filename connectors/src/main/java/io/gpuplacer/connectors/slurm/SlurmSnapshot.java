package io.gpuplacer.connectors.slurm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts;
import io.gpuplacer.connectors.slurm.v0038.model.V0038JobResponseProperties;
import io.gpuplacer.connectors.slurm.v0038.model.V0038Node;
import io.gpuplacer.connectors.slurm.v0038.model.V0038NodeAllocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Nodes and running jobs as slurmctld reports them, mapped to a cluster snapshot (interchange section 1): GPUs from
 * the node's GRES ({@code gpu:<type>:<n>}, the type mapped to a model by {@link SlurmMapping}), CPUs and memory,
 * down and drained from the node's state, one running task per node of each running job, with the GPU indices
 * Slurm gives. Anything that cannot be mapped is skipped with its reason, never a failure of the whole snapshot.
 */
public final class SlurmSnapshot {

    /** What was left out, and why. */
    public record Skipped(String kind, String name, String reason) {
    }

    public record Result(ObjectNode cluster, List<Skipped> skipped) {
    }

    /** Running job ids are prefixed so that they never meet a Kubernetes job's or a pending job's id. */
    public static final String JOB_PREFIX = "slurm-";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    // Node states in which a node takes no work at all, and flags that say so.
    private static final Set<String> DEAD = Set.of("down", "error", "future", "unknown");
    private static final Set<String> DEAD_FLAGS = Set.of("NOT_RESPONDING", "FAIL", "POWERED_DOWN", "POWERING_DOWN");
    private static final Set<String> CLOSED_FLAGS = Set.of("DRAIN", "DRAINING", "DRAINED", "MAINTENANCE",
            "REBOOT_REQUESTED", "REBOOT_ISSUED");
    private static final long NO_LIMIT = 0xFFFFFFFEL; // Slurm's INFINITE (and above): no time limit

    private final SlurmMapping mapping;

    public SlurmSnapshot(SlurmMapping mapping) {
        this.mapping = mapping;
    }

    public Result map(List<V0038Node> nodes, List<V0038JobResponseProperties> jobs, Instant observedAt) {
        List<Skipped> skipped = new ArrayList<>();
        ObjectNode cluster = F.objectNode();
        cluster.put("observedAt", observedAt.toString());
        cluster.putArray("zones").addObject().put("id", mapping.zone().id()).put("pue", mapping.zone().pue());
        ArrayNode nodeArray = cluster.putArray("nodes");
        Map<String, ObjectNode> byName = new HashMap<>();
        List<V0038Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(V0038Node::getName, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (V0038Node node : sorted) {
            try {
                ObjectNode n = node(node);
                nodeArray.add(n);
                byName.put(node.getName(), n);
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("node", String.valueOf(node.getName()), e.getMessage()));
            }
        }
        ArrayNode running = cluster.putArray("running");
        for (V0038JobResponseProperties job : jobs) {
            if (!"RUNNING".equals(job.getJobState())) {
                continue;
            }
            try {
                running.addAll(runningTasks(job, byName, observedAt));
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("job", String.valueOf(job.getJobId()), e.getMessage()));
            }
        }
        return new Result(cluster, skipped);
    }

    private ObjectNode node(V0038Node node) {
        if (node.getName() == null || node.getName().isBlank()) {
            throw new IllegalArgumentException("a node without a name");
        }
        Gres.Gpus gpus = Gres.gpus(node.getGres());
        String model = mapping.modelOf(gpus.type());
        NodeFacts facts = mapping.factsOf(model);
        if (facts == null) {
            throw new IllegalArgumentException("no power and price facts for GPU model \"" + model
                    + "\" (gpuplacer.slurm.node-types)");
        }
        long cpus = node.getCpus() == null ? 0 : node.getCpus();
        long memory = node.getRealMemory() == null ? 0 : node.getRealMemory();
        if (cpus <= 0 || memory <= 0) {
            throw new IllegalArgumentException("reports " + cpus + " CPUs and " + memory + " MiB of memory");
        }
        String state = node.getState() == null ? "unknown" : node.getState().toLowerCase(Locale.ROOT);
        List<String> flags = node.getStateFlags() == null ? List.of() : node.getStateFlags();
        boolean healthy = !DEAD.contains(state) && flags.stream().noneMatch(DEAD_FLAGS::contains);
        boolean open = !state.startsWith("drain") && flags.stream().noneMatch(CLOSED_FLAGS::contains);
        ObjectNode n = F.objectNode();
        n.put("id", node.getName()).put("zone", mapping.zone().id())
                .put("gpuModel", model).put("gpuCount", gpus.count()).put("migEnabled", false)
                .put("cpuMillis", cpus * 1000L).put("memoryMiB", memory)
                .put("capacityType", "ON_DEMAND").put("interruptionPerHour", 0.0)
                .put("costPerHour", facts.costPerHour()).put("baseWatts", facts.baseWatts())
                .put("gpuBusyWatts", facts.gpuBusyWatts()).put("alwaysOn", facts.alwaysOn())
                .put("healthy", healthy).put("schedulable", open);
        return n;
    }

    /** One running task per node the job holds, with what it holds there. */
    private List<ObjectNode> runningTasks(V0038JobResponseProperties job, Map<String, ObjectNode> byName,
                                          Instant observedAt) {
        List<V0038NodeAllocation> allocated = job.getJobResources() == null
                || job.getJobResources().getAllocatedNodes() == null ? List.of()
                : job.getJobResources().getAllocatedNodes();
        if (allocated.isEmpty()) {
            throw new IllegalArgumentException("running, but slurmrestd names none of its nodes");
        }
        List<String> details = job.getGresDetail() == null ? List.of() : job.getGresDetail();
        double remaining = remainingHours(job, observedAt);
        int priority = (int) Math.max(1, Math.min(1_000_000, job.getPriority() == null ? 1 : job.getPriority()));
        String team = job.getAccount() != null && !job.getAccount().isBlank() ? job.getAccount() : job.getUserName();
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < allocated.size(); i++) {
            V0038NodeAllocation at = allocated.get(i);
            ObjectNode node = byName.get(at.getNodename());
            if (node == null) {
                throw new IllegalArgumentException("runs on node " + at.getNodename() + ", which is not in the snapshot");
            }
            Gres.Gpus gpus = i < details.size() ? Gres.gpus(details.get(i)) : Gres.Gpus.NONE;
            if (gpus.count() > 0 && gpus.indices().length != gpus.count()) {
                throw new IllegalArgumentException("holds " + gpus.count() + " GPUs on " + at.getNodename()
                        + " but slurmrestd names " + gpus.indices().length + " device indices");
            }
            ObjectNode t = F.objectNode();
            t.put("job", JOB_PREFIX + job.getJobId()).put("task", i).put("node", at.getNodename());
            if (gpus.count() > 0) {
                t.putObject("gpu").put("kind", "WHOLE").put("count", gpus.count());
                ArrayNode indices = t.putArray("gpus");
                for (int g : gpus.indices()) {
                    indices.add(g);
                }
                t.putArray("gpuModels").add(node.get("gpuModel").asText());
            } else {
                t.putObject("gpu").put("kind", "NONE");
            }
            t.putNull("migStart");
            t.put("cpuMillis", Math.max(1, at.getCpus() == null ? 0 : at.getCpus()) * 1000L);
            t.put("memoryMiB", Math.max(1, at.getMemory() == null ? 0 : at.getMemory()));
            t.put("priority", priority).put("team", team == null ? "slurm" : team);
            t.put("remainingHours", remaining);
            // Slurm moves nothing and preempts by its own rules: the plan may not move or stop it.
            t.put("migratable", false).put("preemptible", false);
            t.put("utilization", 1.0);
            t.put("topology", allocated.size() > 1 ? "ANY" : "NODE");
            if (job.getStartTime() != null && job.getStartTime() > 0) {
                t.put("startedAt", Instant.ofEpochSecond(job.getStartTime()).toString());
            }
            out.add(t);
        }
        return out;
    }

    /** Pending jobs as read for the queue (interchange section 2), and what was left out. */
    public record Pending(List<ObjectNode> jobs, List<Skipped> skipped) {
    }

    /**
     * The pending jobs as jobs of the contract: one task per node (a multi-node job is a gang that starts together),
     * the GPUs, CPUs and memory of one node, the time limit as the duration, the begin time (eligible time) as the
     * earliest start and {@code --deadline} as the deadline (without one the job must start now, as Slurm would
     * start it). Held jobs (priority 0) count as priority 1.
     */
    public Pending pending(List<V0038JobResponseProperties> jobs, Instant now) {
        List<ObjectNode> out = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (V0038JobResponseProperties job : jobs) {
            if (!"PENDING".equals(job.getJobState())) {
                continue;
            }
            try {
                out.add(pendingJob(job, now));
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("job", String.valueOf(job.getJobId()), e.getMessage()));
            }
        }
        return new Pending(out, skipped);
    }

    private ObjectNode pendingJob(V0038JobResponseProperties job, Instant now) {
        long nodes = job.getNodeCount() == null || job.getNodeCount() < 1 ? 1 : job.getNodeCount();
        Gres.Gpus gpus = Gres.gpus(job.getTresPerNode());
        long cpus = job.getCpus() == null ? 0 : job.getCpus();
        long cpusPerNode = Math.max(1, Math.max(cpus / nodes,
                job.getMinimumCpusPerNode() == null ? 0 : job.getMinimumCpusPerNode()));
        long memory = job.getMemoryPerNode() != null && job.getMemoryPerNode() > 0 ? job.getMemoryPerNode()
                : job.getMemoryPerCpu() != null && job.getMemoryPerCpu() > 0 ? job.getMemoryPerCpu() * cpusPerNode : 1;
        Long limit = job.getTimeLimit();
        if (limit == null || limit <= 0 || limit >= NO_LIMIT) {
            throw new IllegalArgumentException("has no time limit: its duration is unknown (set --time)");
        }
        ObjectNode j = F.objectNode();
        String team = job.getAccount() != null && !job.getAccount().isBlank() ? job.getAccount() : job.getUserName();
        j.put("id", JOB_PREFIX + job.getJobId()).put("team", team == null ? "slurm" : team)
                .put("priority", (int) Math.max(1, Math.min(1_000_000, job.getPriority() == null ? 1
                        : job.getPriority())))
                .put("tasks", nodes);
        if (gpus.count() > 0) {
            j.putObject("gpu").put("kind", "WHOLE").put("count", gpus.count());
            if (gpus.type() != null) {
                j.putArray("gpuModels").add(mapping.modelOf(gpus.type()));
            }
        } else {
            j.putObject("gpu").put("kind", "NONE");
        }
        j.put("cpuMillis", cpusPerNode * 1000).put("memoryMiB", memory)
                .put("topology", nodes > 1 ? "ANY" : "NODE").put("preemptible", false)
                .put("checkpointMinutes", 0).put("restartMinutes", 0).put("utilization", 1.0)
                .put("durationHours", limit / 60.0);
        Long eligible = job.getEligibleTime();
        if (eligible != null && eligible > now.getEpochSecond()) {
            j.put("earliestStart", Instant.ofEpochSecond(eligible).toString());
        }
        if (job.getDeadline() != null && job.getDeadline() > 0) {
            j.put("deadline", Instant.ofEpochSecond(job.getDeadline()).toString());
        }
        return j;
    }

    /** Until the job's end by its time limit; without a limit, the default length from its start. */
    private double remainingHours(V0038JobResponseProperties job, Instant observedAt) {
        long start = job.getStartTime() == null ? observedAt.getEpochSecond() : job.getStartTime();
        Long limitMinutes = job.getTimeLimit();
        long end = limitMinutes == null || limitMinutes <= 0 || limitMinutes >= NO_LIMIT
                ? start + Math.round(mapping.defaultHours() * 3600)
                : start + limitMinutes * 60;
        double hours = (end - observedAt.getEpochSecond()) / 3600.0;
        return Math.max(1.0 / 60, hours); // a job past its limit is still running: at least a minute left
    }
}
