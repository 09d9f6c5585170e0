package io.gpuplacer.model.validation;

import io.gpuplacer.model.accounting.Occupancy;
import io.gpuplacer.model.accounting.Occupancy.Occupant;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan against the hard rules of interchange-v1 section 5 and the queue rules of section 9
 * ({@link QueueRules}), written straight from the text and
 * independent of the solver's constraints and layout: plain per-GPU, per-slot bookkeeping. It guards what the
 * CLI writes and what the service pushes, and it is the test oracle for every plan the solver makes.
 */
public final class PlanValidator {

    private PlanValidator() {
    }

    /** Every broken rule, one line each naming the rule, job, task and node; empty when the plan is valid. */
    public static List<String> validate(Problem problem, Plan plan) {
        List<String> errors = new ArrayList<>();
        Map<String, Node> nodes = new HashMap<>();
        problem.nodes().forEach(n -> nodes.put(n.id(), n));
        Map<String, Job> jobs = new HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<String, RunningTask> running = new HashMap<>();
        problem.running().forEach(r -> running.put(r.job().id() + "#" + r.task(), r));
        Set<String> unplacedJobs = new HashSet<>();
        for (Plan.Unplaced u : list(plan.unplaced())) {
            unplacedJobs.add(u.job());
        }

        // References, rule 1 (targets), and rule 5 (GPU lists).
        Map<String, List<Plan.Placement>> byJob = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Plan.Placement p : list(plan.placements())) {
            String where = "placement " + p.job() + "#" + p.task();
            Job job = jobs.get(p.job());
            Node node = nodes.get(p.node());
            if (job == null) {
                errors.add(where + ": job is not in the queue");
                continue;
            }
            if (p.task() < 0 || p.task() >= job.tasks() || !seen.add(p.job() + "#" + p.task())) {
                errors.add(where + ": task index out of range or placed twice");
            }
            if (node == null) {
                errors.add(where + ": node " + p.node() + " does not exist");
                continue;
            }
            byJob.computeIfAbsent(p.job(), k -> new ArrayList<>()).add(p);
            checkTarget(errors, where, job, node, list(p.gpus()), p.migStart());
        }
        for (Plan.Move m : list(plan.moves())) {
            String where = "move " + m.job() + "#" + m.task();
            RunningTask r = running.get(m.job() + "#" + m.task());
            Node node = nodes.get(m.toNode());
            if (r == null) {
                errors.add(where + ": no such running task");
                continue;
            }
            if (!r.node().id().equals(m.fromNode())) {
                errors.add(where + ": fromNode " + m.fromNode() + " is not where it runs (" + r.node().id() + ")");
            }
            if (!r.migratable()) {
                errors.add(where + ": the task is not migratable (rule 9)");
            }
            if (node == null) {
                errors.add(where + ": node " + m.toNode() + " does not exist");
                continue;
            }
            checkTarget(errors, where, r.job(), node, list(m.gpus()), m.migStart());
        }
        Set<String> moved = new HashSet<>();
        list(plan.moves()).forEach(m -> moved.add(m.job() + "#" + m.task()));
        list(plan.preemptions()).forEach(p -> moved.add(p.job() + "#" + p.task())); // stopped: gone from its node
        for (RunningTask r : problem.running()) {
            if (!r.node().healthy() && !moved.contains(r.job().id() + "#" + r.task())
                    && !unplacedJobs.contains(r.job().id())) {
                errors.add("running " + r.job().id() + "#" + r.task() + ": node " + r.node().id()
                        + " is unhealthy; the task must be moved or reported unplaced (rule 9)");
            }
        }

        // Rules 6 and 8: gangs, topology, time windows.
        for (Map.Entry<String, List<Plan.Placement>> e : byJob.entrySet()) {
            Job job = jobs.get(e.getKey());
            List<Plan.Placement> tasks = e.getValue();
            if (tasks.size() != job.tasks()) {
                errors.add("job " + job.id() + ": " + tasks.size() + " of " + job.tasks()
                        + " tasks placed; a gang is placed whole or not at all (rule 6)");
            }
            Set<Integer> starts = new HashSet<>();
            tasks.forEach(p -> starts.add(p.startSlot()));
            if (starts.size() > 1) {
                errors.add("job " + job.id() + ": tasks start in different slots " + starts + " (rule 6)");
            }
            for (Plan.Placement p : tasks) {
                checkWindow(errors, problem, job, p);
            }
        }
        List<Occupant> occupants = Occupancy.of(problem, plan);
        checkTopology(errors, occupants);
        checkCapacity(errors, problem, occupants);
        QueueRules.check(problem, plan, occupants, errors);
        return errors;
    }

    private static void checkTarget(List<String> errors, String where, Job job, Node node, List<Integer> gpus,
                                    Integer migStart) {
        if (!node.healthy() || !node.schedulable()) {
            errors.add(where + ": node " + node.id() + " is " + (node.healthy() ? "cordoned" : "unhealthy") + " (rule 1)");
        }
        GpuDemand demand = job.gpu();
        if (demand.usesGpu() && !job.gpuModels().isEmpty() && !job.gpuModels().contains(node.gpuModel())) {
            errors.add(where + ": node " + node.id() + " has " + node.gpuModel() + ", not one of " + job.gpuModels()
                    + " (rule 2)");
        }
        if (node.isSpot() && !job.preemptible()) {
            errors.add(where + ": not preemptible but node " + node.id() + " is SPOT (rule 7)");
        }
        int expected = demand.gpuIndexCount();
        if (gpus.size() != expected || new HashSet<>(gpus).size() != gpus.size()) {
            errors.add(where + ": lists GPUs " + gpus + " but needs " + expected + " distinct (rule 5)");
        }
        for (int g : gpus) {
            if (g < 0 || g >= node.gpuCount()) {
                errors.add(where + ": GPU " + g + " does not exist on " + node.id());
            }
        }
        if (demand.kind() == GpuKind.MIG) {
            if (!node.migEnabled()) {
                errors.add(where + ": MIG task on " + node.id() + " which is not MIG-enabled (rule 4)");
            }
            MigProfile profile = node.migProfiles().get(demand.migProfile());
            if (profile == null || migStart == null || !profile.placementStarts().contains(migStart)) {
                errors.add(where + ": migStart " + migStart + " is not a placement of " + demand.migProfile() + " on "
                        + node.gpuModel() + " (rule 4)");
            }
        } else {
            if (demand.usesGpu() && node.migEnabled()) {
                errors.add(where + ": " + demand.kind() + " task on MIG-enabled node " + node.id() + " (rule 4)");
            }
            if (migStart != null) {
                errors.add(where + ": migStart must be null for a " + demand.kind() + " task");
            }
        }
    }

    private static void checkWindow(List<String> errors, Problem problem, Job job, Plan.Placement p) {
        int earliest = problem.earliestStartSlot(job);
        String where = "placement " + job.id() + "#" + p.task();
        if (p.startSlot() < 0 || p.startSlot() >= problem.horizonHours()) {
            errors.add(where + ": startSlot " + p.startSlot() + " is outside the horizon");
        }
        if (p.startSlot() < earliest) {
            errors.add(where + ": starts in slot " + p.startSlot() + " before earliestStart (slot " + earliest
                    + ") (rule 8)");
        }
        if (job.deadline() == null) {
            if (p.startSlot() != 0) {
                errors.add(where + ": no deadline, so it must start in slot 0, not " + p.startSlot() + " (rule 8)");
            }
        } else if (p.startSlot() + Problem.occupiedSlots(job) > problem.slotFloor(job.deadline())) {
            errors.add(where + ": ends after its deadline (slot " + problem.slotFloor(job.deadline()) + ") (rule 8)");
        }
    }

    private static void checkTopology(List<String> errors, List<Occupant> occupants) {
        Map<Job, List<Occupant>> gangs = new HashMap<>();
        for (Occupant o : occupants) {
            gangs.computeIfAbsent(o.job(), k -> new ArrayList<>()).add(o);
        }
        gangs.forEach((job, tasks) -> {
            Set<String> nodes = new HashSet<>();
            Set<String> racks = new HashSet<>();
            Set<String> blocks = new HashSet<>();
            Set<Integer> islands = new HashSet<>();
            for (Occupant o : tasks) {
                nodes.add(o.node().id());
                racks.add(o.node().rackKey());
                blocks.add(o.node().blockKey());
                for (int g : o.gpus()) {
                    if (g >= 0 && g < o.node().gpuCount()) {
                        islands.add(o.node().islandOf()[g]);
                    }
                }
            }
            Topology topology = job.topology();
            if (topology.requiresOneNode() && nodes.size() > 1) {
                errors.add("job " + job.id() + ": " + topology + " gang spread over nodes " + nodes + " (rule 6)");
            }
            if (topology == Topology.ISLAND && islands.size() > 1) {
                errors.add("job " + job.id() + ": ISLAND gang spread over NVLink islands " + islands + " (rule 6)");
            }
            if (topology == Topology.RACK && racks.size() > 1) {
                errors.add("job " + job.id() + ": RACK gang spread over racks " + racks + " (rule 6)");
            }
            if (topology == Topology.BLOCK && blocks.size() > 1) {
                errors.add("job " + job.id() + ": BLOCK gang spread over blocks " + blocks + " (rule 6)");
            }
        });
    }

    private static void checkCapacity(List<String> errors, Problem problem, List<Occupant> occupants) {
        int horizon = problem.horizonHours();
        Map<Node, List<Occupant>> byNode = new HashMap<>();
        for (Occupant o : occupants) {
            byNode.computeIfAbsent(o.node(), k -> new ArrayList<>()).add(o);
        }
        byNode.forEach((node, tasks) -> {
            for (int t = 0; t < horizon; t++) {
                long cpu = 0;
                long mem = 0;
                int g0 = node.gpuCount();
                int[] wholeUsers = new int[g0];
                int[] sharedMilli = new int[g0];
                int[] sharedUsers = new int[g0];
                int[] migMask = new int[g0];
                int[] migCompute = new int[g0];
                int[] migUsers = new int[g0];
                Map<String, Integer> profileCounts = new HashMap<>();
                List<String> clashes = new ArrayList<>();
                for (Occupant o : tasks) {
                    if (t < o.start() || t >= o.end()) {
                        continue;
                    }
                    cpu += o.job().cpuMillis();
                    mem += o.job().memoryMiB();
                    GpuDemand d = o.job().gpu();
                    for (int g : o.gpus()) {
                        if (g < 0 || g >= g0) {
                            continue;
                        }
                        switch (d.kind()) {
                            case WHOLE -> wholeUsers[g]++;
                            case SHARED -> {
                                sharedUsers[g]++;
                                sharedMilli[g] += d.milli();
                            }
                            case MIG -> {
                                migUsers[g]++;
                                MigProfile p = node.migProfiles().get(d.migProfile());
                                if (p != null && o.migStart() != null) {
                                    int mask = p.memoryMask(o.migStart());
                                    if ((migMask[g] & mask) != 0) {
                                        clashes.add("MIG instances overlap in memory slices on GPU " + g);
                                    }
                                    migMask[g] |= mask;
                                    migCompute[g] += p.computeSlices();
                                    int count = profileCounts.merge(g + "/" + p.name(), 1, Integer::sum);
                                    if (count > p.maxInstances()) {
                                        clashes.add("more than " + p.maxInstances() + " " + p.name()
                                                + " instances on GPU " + g);
                                    }
                                }
                            }
                            default -> {
                            }
                        }
                    }
                }
                String at = "node " + node.id() + " slot " + t + ": ";
                if (cpu > node.cpuMillis()) {
                    errors.add(at + "CPU " + cpu + " > " + node.cpuMillis() + " millis (rule 3)");
                }
                if (mem > node.memoryMiB()) {
                    errors.add(at + "memory " + mem + " > " + node.memoryMiB() + " MiB (rule 3)");
                }
                for (int g = 0; g < g0; g++) {
                    int kinds = (wholeUsers[g] > 0 ? 1 : 0) + (sharedUsers[g] > 0 ? 1 : 0) + (migUsers[g] > 0 ? 1 : 0);
                    if (wholeUsers[g] > 1 || kinds > 1) {
                        errors.add(at + "GPU " + g + " is held by a WHOLE task and another task (rule 4)");
                    }
                    if (sharedMilli[g] > 1000) {
                        errors.add(at + "GPU " + g + " shared by " + sharedMilli[g] + " milli-GPU > 1000 (rule 4)");
                    }
                    if (migCompute[g] > MigCatalogue.COMPUTE_SLICES) {
                        errors.add(at + "GPU " + g + " MIG compute slices " + migCompute[g] + " > 7 (rule 4)");
                    }
                }
                clashes.forEach(c -> errors.add(at + c + " (rule 4)"));
            }
        });
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
