package io.gpuplacer.model;

import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.Problem;

import java.util.List;

/**
 * A problem on {@link TestDocs#CLUSTER} (h1: H100 x8 in islands 0-3/4-7; h2: H100 x8 with run-1 on GPUs 0,1;
 * a1: A100-80GB x2 with MIG; t1: T4 x2 SPOT) with the given jobs, and hand-made assignments.
 */
public final class Scenario {

    public final Problem problem;
    public final PlacementSolution solution;

    private Scenario(Problem problem) {
        this.problem = problem;
        this.solution = SolutionFactory.build(problem);
    }

    /** Jobs given as JSON objects; see {@link #job}. */
    public static Scenario of(String... jobs) {
        return onCluster(TestDocs.CLUSTER, jobs);
    }

    public static Scenario onCluster(String cluster, String... jobs) {
        return withSignals(cluster, TestDocs.SIGNALS, jobs);
    }

    /** The same with other signals. */
    public static Scenario withSignals(String cluster, String signals, String... jobs) {
        String queue = "{\"now\": \"2026-11-22T00:00:00Z\", \"horizonHours\": 24, \"jobs\": ["
                + String.join(",", jobs) + "]}";
        return new Scenario(TestDocs.read(cluster, queue, signals));
    }

    /** A job: id, gpu demand JSON, duration, then extra "key": value pairs as raw JSON. */
    public static String job(String id, String gpu, double hours, String extra) {
        var base = TestDocs.parse("{\"id\": \"" + id + "\", \"priority\": 10, \"tasks\": 1, \"gpu\": " + gpu
                + ", \"cpuMillis\": 1000, \"memoryMiB\": 1024, \"durationHours\": " + hours
                + ", \"preemptible\": true}");
        base.setAll(TestDocs.parse("{" + extra + "}")); // extra fields win
        return base.toString();
    }

    public static String whole(int count) {
        return "{\"kind\": \"WHOLE\", \"count\": " + count + "}";
    }

    public static String shared(int milli) {
        return "{\"kind\": \"SHARED\", \"milli\": " + milli + "}";
    }

    public static String mig(String profile) {
        return "{\"kind\": \"MIG\", \"profile\": \"" + profile + "\"}";
    }

    public TaskAssignment task(String job, int task) {
        return solution.getTasks().stream()
                .filter(t -> t.getJob().id().equals(job) && t.getTask() == task)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no task " + job + "#" + task));
    }

    /** Puts a task on a node (null = unplaced) from a start slot. */
    public Scenario put(String job, int task, String node, int start) {
        TaskAssignment t = task(job, task);
        t.setNode(node == null ? null : problem.node(node));
        t.setStartSlot(start);
        return this;
    }

    public List<TaskAssignment> tasksOn(String node) {
        return solution.getTasks().stream()
                .filter(t -> t.getNode() != null && t.getNode().id().equals(node)).toList();
    }

    public NodeLayout layout(String node) {
        return NodeLayout.of(problem.node(node), tasksOn(node));
    }

    /** GPU indices the layout gave a task on its node. */
    public int[] gpusOf(String job, int task) {
        TaskAssignment t = task(job, task);
        NodeLayout layout = layout(t.getNode().id());
        return layout.gpus(layout.tasks().indexOf(t));
    }

    public Integer migStartOf(String job, int task) {
        TaskAssignment t = task(job, task);
        NodeLayout layout = layout(t.getNode().id());
        return layout.migStart(layout.tasks().indexOf(t));
    }
}
