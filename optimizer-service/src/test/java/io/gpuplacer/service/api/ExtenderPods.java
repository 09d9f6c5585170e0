package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.service.bench.JobPods;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.validation.PlanValidator;

import java.util.ArrayList;
import java.util.List;

/**
 * Pods for the extender ({@link JobPods}), and whether a job's tasks can go on given nodes now, decided by trying
 * every device choice against the independent plan validator.
 */
final class ExtenderPods {

    private ExtenderPods() {
    }

    static ObjectNode pod(JsonNode job, String name, String uid) {
        return JobPods.pod(job, name, uid);
    }

    static String args(ObjectNode pod, List<String> names) {
        return JobPods.args(pod, names);
    }

    /** The job, to start now (the extender places for now), with its tasks on the nodes given. */
    static boolean fits(JsonNode cluster, JsonNode signals, String now, JsonNode job, List<String> nodes) {
        ObjectNode startNow = job.deepCopy();
        startNow.remove("earliestStart");
        startNow.remove("deadline");
        ObjectNode jobs = TestService.JSON.createObjectNode().put("now", now).put("horizonHours", 48);
        jobs.putArray("jobs").add(startNow);
        Problem problem;
        try {
            problem = new ProblemReader().read(cluster, jobs, signals);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<Plan.Unplaced> unplaced = new ArrayList<>();
        for (RunningTask r : problem.running()) {
            if (!r.node().healthy()) {
                unplaced.add(new Plan.Unplaced(r.job().id(), r.task(), "node unhealthy"));
            }
        }
        return search(problem, startNow, nodes, 0, new ArrayList<>(), unplaced);
    }

    /** Every device choice for task t on its node, the later tasks' choices tried for each. */
    private static boolean search(Problem problem, JsonNode job, List<String> nodes, int t,
                                  List<Plan.Placement> chosen, List<Plan.Unplaced> unplaced) {
        if (t == nodes.size()) {
            Plan plan = new Plan("0hard/0medium/0soft", true, chosen, unplaced, List.of(), null, List.of(), List.of(),
                    null);
            return PlanValidator.validate(problem, plan).isEmpty();
        }
        String node = nodes.get(t);
        int gpuCount = problem.nodes().stream().filter(n -> n.id().equals(node)).findFirst()
                .map(n -> n.gpuCount()).orElse(0);
        for (List<Integer> gpus : choices(job.get("gpu"), gpuCount)) {
            for (Integer migStart : "MIG".equals(job.get("gpu").get("kind").asText()) ? List.of(0, 1, 2, 3, 4, 5, 6, 7)
                    : java.util.Collections.<Integer>singletonList(null)) {
                chosen.add(new Plan.Placement(job.get("id").asText(), t, node, gpus, migStart, 0));
                // A partial plan of a gang is not valid (rule 6): only the whole choice is validated.
                boolean ok = search(problem, job, nodes, t + 1, chosen, unplaced);
                chosen.remove(chosen.size() - 1);
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<List<Integer>> choices(JsonNode gpu, int gpuCount) {
        List<List<Integer>> out = new ArrayList<>();
        switch (gpu.get("kind").asText()) {
            case "NONE" -> out.add(null);
            case "WHOLE" -> combinations(gpuCount, gpu.get("count").asInt(), 0, new ArrayList<>(), out);
            default -> {
                for (int g = 0; g < gpuCount; g++) {
                    out.add(List.of(g));
                }
            }
        }
        return out;
    }

    private static void combinations(int n, int k, int from, List<Integer> current, List<List<Integer>> out) {
        if (current.size() == k) {
            out.add(List.copyOf(current));
            return;
        }
        for (int i = from; i < n; i++) {
            current.add(i);
            combinations(n, k, i + 1, current, out);
            current.remove(current.size() - 1);
        }
    }
}
