package io.gpuplacer.service.extender;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.rules.TaskRule;
import io.gpuplacer.service.state.OracleView;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A pod of its own, judged on each candidate node at the current hour: a rule it breaks there or a node too small
 * for it fails the node whatever happens; no room now, or room held for a gang, fails it for now; else it passes
 * with the change of the score it would bring.
 */
final class PodPlaces {

    private static final String UNKNOWN = "not in the optimizer's cluster state (not a node of the snapshot in force, "
            + "or the snapshot is behind)";

    private final GangReservations reservations;
    private final ProblemReader reader = new ProblemReader();

    PodPlaces(GangReservations reservations) {
        this.reservations = reservations;
    }

    Verdicts judge(OracleView view, ObjectNode jobJson, List<String> candidates) {
        Job job;
        try {
            job = reader.readJob(jobJson, "Pod", view.runningJobIds(), view.base().now(), view.base().queues());
        } catch (InputException e) {
            return Verdicts.error("pod " + jobJson.path("id").asText() + ": " + e.getMessage());
        }
        TaskAssignment task = view.tasksOf(job).get(0);
        Verdicts v = new Verdicts();
        // One text per reason, not one per node: a filter at 1,000 nodes would build a thousand copies.
        Map<TaskRule, String> ruleReasons = new EnumMap<>(TaskRule.class);
        String tooSmall = Verdicts.bounded("node is too small for one task of " + job.gpu() + ", " + job.cpuMillis()
                + " mCPU, " + job.memoryMiB() + " MiB");
        String noRoom = Verdicts.bounded("no room now for " + job.gpu() + ": GPUs, MIG slices, CPU or memory are held "
                + "by running work");
        Map<String, String> quotaFull = new java.util.HashMap<>(); // flavor -> why its quota has no room ("" = it has)
        for (String name : candidates) {
            Node node = view.node(name);
            if (node == null) {
                v.failed.put(name, UNKNOWN);
                continue;
            }
            TaskRule broken = TaskRule.firstBroken(job, node);
            if (broken != null) {
                v.unresolvable.put(name, ruleReasons.computeIfAbsent(broken,
                        r -> Verdicts.bounded("node is " + r.excluded(job))));
                continue;
            }
            if (!SolutionFactory.canHost(node, job)) {
                v.unresolvable.put(name, tooSmall);
                continue;
            }
            String full = quotaFull.computeIfAbsent(node.gpuModel(), flavor -> {
                String why = view.oracle().quotas().wouldBreak(job, flavor, 0, task.endSlotFor(0),
                        job.quotaUnits());
                return why == null ? "" : Verdicts.bounded(why);
            });
            if (!full.isEmpty()) {
                v.failed.put(name, full); // the queue may get room when work ends: not unresolvable
                continue;
            }
            PlacementOracle.Option option = view.oracle().evaluate(task, node, 0);
            HardMediumSoftLongScore delta = option.delta();
            if (delta.hardScore() != 0) {
                v.failed.put(name, noRoom);
                continue;
            }
            long held = reservations.heldOn(name, null);
            if (held > 0 && option.gpuLeftMilli() < held) {
                v.fail(name, Verdicts.bounded("the GPUs left are held for gang " + reservations.gangsHolding(name, null)
                        + " until its members are bound (at most " + reservations.ttl().toSeconds() + " s)"));
                continue;
            }
            v.pass(name, delta.softScore());
        }
        return v;
    }
}
