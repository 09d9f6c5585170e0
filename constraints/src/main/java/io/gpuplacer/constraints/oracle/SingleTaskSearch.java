package io.gpuplacer.constraints.oracle;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.constraints.oracle.PlacementOracle.Option;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Zone;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The places for one task: every node of its range at the start slots worth trying, priced on the index. */
final class SingleTaskSearch {

    private final OracleIndex index;

    SingleTaskSearch(OracleIndex index) {
        this.index = index;
    }

    /** How the score changes if the task goes to the node from the start slot, with the devices it would get. */
    Option evaluate(TaskAssignment task, Node node, int start) {
        OracleIndex.Evaluation with = index.score(node, List.of(task), start);
        HardMediumSoftLongScore delta = with.score().subtract(index.nodeScore(node))
                .add(index.taskTerms(task, node, start)).add(index.spotTerm(task, node))
                .add(index.quotaTerm(List.of(task), new Node[]{node}, start));
        int i = with.layout().tasks().size() - 1;
        return new Option(node, start, delta, with.layout().gpus(i), with.layout().migStart(i),
                index.gpuLeft(node, start, OracleIndex.milli(task)));
    }

    /**
     * The best places for an unplaced task, best first: every node of its range and start of its window that
     * keeps the hard score, by the change of the score, then by best fit. Empty when it fits nowhere.
     */
    List<Option> recommend(TaskAssignment task, int limit, SearchBudget budget) {
        List<Option> options = new ArrayList<>();
        Map<Zone, List<Integer>> startsByZone = new HashMap<>();
        for (Node node : index.representatives(task.getNodeRange())) {
            if (budget.spent()) {
                break;
            }
            List<Integer> starts = startsByZone.computeIfAbsent(node.zone(), z -> index.startsToTry(task, List.of(z),
                    limit));
            for (int start : starts) {
                if (!index.mayFit(task, node, start, 1)) {
                    continue; // it would break a capacity rule: not a recommendation
                }
                Option option = evaluate(task, node, start);
                if (option.delta().hardScore() == 0) {
                    options.add(option);
                }
            }
        }
        // Best score first; among equal scores the fullest node (best fit), which keeps emptier nodes whole.
        options.sort(Comparator.comparing(Option::delta).reversed().thenComparingLong(Option::gpuLeftMilli));
        BitSet range = OracleIndex.rangeOf(task);
        List<Option> out = new ArrayList<>(limit);
        for (Option o : options) {
            for (Node member : index.alike(o.node(), range)) {
                if (out.size() == limit) {
                    return out;
                }
                out.add(new Option(member, o.start(), o.delta(), o.gpus(), o.migStart(), o.gpuLeftMilli()));
            }
        }
        return out;
    }
}
