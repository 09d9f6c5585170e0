package io.gpuplacer.constraints.oracle;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.constraints.CostTerms;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.quota.QuotaLedger;

import java.util.Comparator;
import java.util.List;

/**
 * The placement oracle: "where should this task go", answered in microseconds per node by an incremental
 * evaluator of the same rules and prices as the constraints. {@link OracleIndex} keeps each node's part of the
 * score (through the same {@link NodeLayout} and {@link CostTerms}) and prices a candidate by re-evaluating only
 * that node with the task added, plus the task's own terms; {@link SingleTaskSearch} and {@link GangPacker} search
 * with it. Timefold's recommendAssignment re-scores the whole solution per candidate (tens of ms at 1,000 nodes);
 * Timefold stays the engine of optimization runs. Identity with the constraints is proven by a differential test.
 *
 * <p>{@link #recommend} and {@link #assign} take tasks of single-task pending jobs; {@link #recommendJob} takes
 * whole jobs, gangs included (all tasks from one start, inside the gang's topology scope). Only {@link #assign}
 * changes the oracle: between assignments, recommendations may be asked from many threads at once.
 */
public final class PlacementOracle {

    /**
     * One candidate: where, when, how the score would change (higher is better), and how much GPU capacity the
     * node would have left at the start slot (milli-GPU; among equal scores the fullest node wins).
     */
    public record Option(Node node, int start, HardMediumSoftLongScore delta, int[] gpus, Integer migStart,
                         long gpuLeftMilli) {
    }

    /** One task of a job's recommendation: where it goes, its devices there, and from which slot. */
    public record TaskPlacement(TaskAssignment task, Node node, int start, int[] gpus, Integer migStart) {
    }

    /**
     * A place for a whole job: every task placed (a gang all from one start), the change of the score on every
     * level (hard 0: nothing breaks), and the milli-GPU left free on the nodes it uses.
     */
    public record JobOption(List<TaskPlacement> placements, HardMediumSoftLongScore delta, long gpuLeftMilli) {
    }

    static final Comparator<JobOption> BEST_JOB_FIRST = Comparator.comparing(JobOption::delta).reversed()
            .thenComparingLong(JobOption::gpuLeftMilli);

    private final OracleIndex index;
    private final SingleTaskSearch single;
    private final GangPacker gangs;

    /** Indexes the solution's assigned tasks; the oracle then owns the solution's planning variables. */
    public PlacementOracle(PlacementSolution state) {
        this.index = new OracleIndex(state);
        this.single = new SingleTaskSearch(index);
        this.gangs = new GangPacker(index);
    }

    /** How the score changes if the task goes to the node from the start slot. */
    public HardMediumSoftLongScore delta(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        return single.evaluate(task, node, start).delta();
    }

    /**
     * The task on that node from the start slot: the change of the score (hard below 0: it does not fit there now),
     * the devices it would take and the milli-GPU the node would have left. The node must be in the task's range.
     */
    public Option evaluate(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        return single.evaluate(task, node, start);
    }

    /**
     * The best places for an unplaced task, best first: every node of its range and start of its window that
     * keeps the hard score, by the change of the score, then by best fit. Empty when it fits nowhere.
     */
    public List<Option> recommend(TaskAssignment task, int limit) {
        requireSingle(task);
        return single.recommend(task, limit, SearchBudget.UNLIMITED);
    }

    /**
     * The best places for a whole pending job, best first, each keeping the hard score at 0: a single task as in
     * {@link #recommend}; a gang all from one start, inside one node (NODE, ISLAND), rack, block, or anywhere
     * (ANY: per block, and across blocks at the block-spread price). Gangs are packed task by task, each to the
     * place that changes the score least. Empty when the job fits nowhere.
     *
     * @param tasks every task of one pending job, as built for the oracle's problem
     */
    public List<JobOption> recommendJob(List<TaskAssignment> tasks, int limit) {
        return recommendJob(tasks, limit, SearchBudget.UNLIMITED);
    }

    /**
     * The same within a time budget: when it is spent the search stops and the best places found until then are
     * the answer ({@link SearchBudget#cutShort()} says so).
     */
    public List<JobOption> recommendJob(List<TaskAssignment> tasks, int limit, SearchBudget budget) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        TaskAssignment first = tasks.get(0);
        if (first.isRunning() || tasks.size() != first.getJob().tasks()) {
            throw new IllegalArgumentException(first.getJob().id() + ": the oracle takes every task of a pending job");
        }
        if (tasks.size() == 1) {
            return single.recommend(first, limit, budget).stream().map(o -> new JobOption(List.of(new TaskPlacement(first,
                    o.node(), o.start(), o.gpus(), o.migStart())), o.delta(), o.gpuLeftMilli())).toList();
        }
        return gangs.recommend(tasks, limit, budget);
    }

    /**
     * Puts the task there and commits its devices: later placements go around them, as on a real node where
     * a started task keeps its GPUs. The state and the node's cached score follow. Refuses (and changes nothing)
     * a place that breaks a hard rule.
     */
    public void assign(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        if (task.getNode() != null) {
            throw new IllegalArgumentException(task.getId() + " is already placed on " + task.getNode().id());
        }
        Option option = single.evaluate(task, node, start);
        if (option.delta().hardScore() != 0) {
            // An option that breaks a rule holds no devices: committing it would corrupt the node's state.
            throw new IllegalArgumentException(task.getId() + " does not fit on " + node.id() + " from slot " + start
                    + ": it would break a hard rule (" + option.delta() + "); ask recommend() for the places it fits");
        }
        task.setNode(node);
        task.setStartSlot(start);
        task.holdDevices(node, option.gpus(), option.migStart());
        index.commit(task, node, start);
    }

    /** The queues' use as the oracle's state holds it, for reasons that name the quota a job finds full. */
    public QuotaLedger quotas() {
        return index.quotas();
    }

    private static void requireSingle(TaskAssignment task) {
        if (task.isRunning() || task.getJob().tasks() != 1) {
            throw new IllegalArgumentException(task.getId() + ": the oracle places tasks of single-task pending "
                    + "jobs; gangs and running tasks go through the solver");
        }
    }
}
