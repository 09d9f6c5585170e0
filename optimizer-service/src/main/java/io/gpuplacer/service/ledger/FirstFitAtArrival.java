package io.gpuplacer.service.ledger;

import io.gpuplacer.model.accounting.LedgerAttribution;
import io.gpuplacer.model.domain.NodeRanges;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.heuristic.GreedyPlacer;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the savings of a report need to know of the state a job arrived to: where the carbon-agnostic first fit
 * (GreedyPlacer FIRST_FIT: each task on the first node in cluster order that holds it, at the job's earliest start)
 * would have put each task, and per zone the eligible node that would have drawn the least. Each place is reduced to
 * the ledger's attribution (interchange v1.1 section 8) with the node's tasks of that moment: per hour the task's
 * energy is {@code a + b x utilisation} kWh and its share of the node's costPerHour {@code c} USD.
 */
public final class FirstFitAtArrival {

    /** A task's attributed draw on a node: kWh per hour = a + b x utilisation; node cost c USD per hour. */
    public record Place(String node, String zone, double a, double b, double c) {

        public double kWh(double utilization) {
            return a + b * utilization;
        }
    }

    /** {@code firstFit} is null when the first fit held no place for the job at its earliest start. */
    public record Result(Instant earliestStart, Instant latestStart, List<Place> firstFit, List<Place> bound) {
    }

    private FirstFitAtArrival() {
    }

    /**
     * The state jobs arrive to, read once: the first fit's placer with the running work in place, asked for one
     * job at a time (at 12,500 nodes building it takes about 25 ms, asking a few). Not for concurrent use.
     */
    public static final class State {
        private final Problem base;
        private final NodeRanges ranges;
        private final GreedyPlacer.Prepared placer;
        private final Map<String, List<RunningTask>> running;

        /** {@code base}: the cluster with its running work and no queue. */
        public State(Problem base) {
            this.base = base;
            this.ranges = new NodeRanges(base);
            this.placer = GreedyPlacer.prepare(SolutionFactory.build(base), GreedyPlacer.Strategy.FIRST_FIT);
            this.running = runningByNode(base);
        }

        public Problem base() {
            return base;
        }
    }

    /** The job {@code jobId} of {@code problem}'s queue (the state it arrived to), arrived at {@code arrivedAt}. */
    public static Result of(Problem problem, String jobId, Instant arrivedAt) {
        Job job = problem.jobs().stream().filter(j -> j.id().equals(jobId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(jobId + " is not in the queue"));
        PlacementSolution solution = SolutionFactory.build(problem);
        Node[] chosen = new Node[job.tasks()];
        List<Node> eligible = List.of();
        for (GreedyPlacer.Decision d : GreedyPlacer.place(solution, GreedyPlacer.Strategy.FIRST_FIT)) {
            TaskAssignment t = d.task();
            if (t.getJob().id().equals(jobId) && !t.isRunning()) {
                chosen[t.getTask()] = d.node();
                eligible = t.getNodeRange();
            }
        }
        return result(problem, runningByNode(problem), job, chosen, eligible, arrivedAt);
    }

    /** The same for a job (read against the state's cluster) arriving to the prepared state. */
    public static Result of(State state, Job job, Instant arrivedAt) {
        Node[] chosen = new Node[job.tasks()];
        List<Node> eligible = List.of();
        for (GreedyPlacer.Decision d : state.placer.place(SolutionFactory.pendingTasks(state.base, job,
                state.ranges))) {
            chosen[d.task().getTask()] = d.node();
            eligible = d.task().getNodeRange();
        }
        return result(state.base, state.running, job, chosen, eligible, arrivedAt);
    }

    private static Map<String, List<RunningTask>> runningByNode(Problem problem) {
        Map<String, List<RunningTask>> running = new LinkedHashMap<>();
        problem.running().forEach(r -> running.computeIfAbsent(r.node().id(), n -> new ArrayList<>()).add(r));
        return running;
    }

    private static Result result(Problem problem, Map<String, List<RunningTask>> running, Job job, Node[] chosen,
                                 List<Node> eligible, Instant arrivedAt) {
        int earliestSlot = problem.earliestStartSlot(job);
        Instant earliest = max(arrivedAt, problem.now().plusSeconds(3600L * earliestSlot));
        Instant latest = max(earliest, problem.now().plusSeconds(3600L * problem.latestStartSlot(job)));
        List<Place> firstFit = null;
        if (Arrays.stream(chosen).allMatch(n -> n != null)) {
            firstFit = new ArrayList<>(chosen.length);
            for (int i = 0; i < chosen.length; i++) {
                List<RunningTask> there = new ArrayList<>(running.getOrDefault(chosen[i].id(), List.of()));
                RunningTask mine = null;
                for (int k = 0; k < chosen.length; k++) { // the gang's tasks that share the node share its base
                    if (chosen[k] == chosen[i]) {
                        RunningTask t = pending(job, k, chosen[k]);
                        there.add(t);
                        mine = k == i ? t : mine;
                    }
                }
                firstFit.add(place(chosen[i], there, mine));
            }
        }
        Map<String, Place> leastPerZone = new LinkedHashMap<>();
        for (Node node : eligible) {
            List<RunningTask> there = new ArrayList<>(running.getOrDefault(node.id(), List.of()));
            RunningTask mine = pending(job, 0, node);
            there.add(mine);
            Place p = place(node, there, mine);
            leastPerZone.merge(p.zone(), p, (x, y) -> y.kWh(job.utilization()) < x.kWh(job.utilization()) ? y : x);
        }
        return new Result(earliest, latest, firstFit, List.copyOf(leastPerZone.values()));
    }

    private static RunningTask pending(Job job, int task, Node node) {
        return new RunningTask(job, task, node, new int[0], null, job.durationHours(), false, null);
    }

    /** The attribution's row of {@code mine} among {@code tasks} for one hour, at utilisation 0 and 1. */
    private static Place place(Node node, List<RunningTask> tasks, RunningTask mine) {
        int i = tasks.indexOf(mine);
        double[] measured = new double[tasks.size()];
        Arrays.fill(measured, Double.NaN);
        measured[i] = 0;
        LedgerAttribution.Row idle = LedgerAttribution.rows(node, tasks, measured, 1, 0, 0).get(i);
        measured[i] = 1;
        LedgerAttribution.Row busy = LedgerAttribution.rows(node, tasks, measured, 1, 0, 0).get(i);
        return new Place(node.id(), node.zone().id(), idle.kWh(), busy.kWh() - idle.kWh(), idle.costUsd());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
