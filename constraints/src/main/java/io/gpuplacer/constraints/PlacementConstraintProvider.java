package io.gpuplacer.constraints;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import ai.timefold.solver.core.api.score.stream.uni.UniConstraintStream;
import io.gpuplacer.constraints.quota.QuotaCollector;
import io.gpuplacer.constraints.quota.QuotaExcess;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.quota.CohortFlavor;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.rules.TaskRule;
import io.gpuplacer.model.rules.TimeWindow;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The score: hard = the rules of interchange-v1 section 5, medium = unplaced work, soft = cost in micro-USD
 * (section 7), priced by the solution's {@link CostModel}. Penalties are proportional to how far a rule is broken. Node-level rules (CPU, memory, GPU devices, MIG, islands) read one
 * {@link NodeLayout} per node, recomputed only for the nodes a move touches.
 */
public class PlacementConstraintProvider implements ConstraintProvider {

    // Shared instances, so every layout constraint reuses one group-by node instead of building its own.
    private static final Function<TaskAssignment, Node> NODE_OF = TaskAssignment::getNode;
    private static final UniConstraintCollector<TaskAssignment, ?, List<TaskAssignment>> TASK_LIST =
            ConstraintCollectors.toList();
    private static final BiFunction<Node, List<TaskAssignment>, NodeLayout> LAY_OUT = NodeLayout::of;
    private static final Function<TaskAssignment, CohortFlavor> QUOTA_GROUP_OF = TaskAssignment::getQuotaGroup;
    private static final QuotaCollector QUOTA_USAGE = new QuotaCollector();

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[]{
                nodeAvailable(factory),
                gpuModel(factory),
                cpuCapacity(factory),
                memoryCapacity(factory),
                gpuExclusive(factory),
                gpuSharing(factory),
                migGeometry(factory),
                migNodeKind(factory),
                spotPreemptible(factory),
                gangAllOrNothing(factory),
                gangSameStart(factory),
                topologyNode(factory),
                topologyIsland(factory),
                topologyRack(factory),
                topologyBlock(factory),
                timeWindow(factory),
                runningTaskKept(factory),
                queueFlavor(factory),
                queueQuota(factory),
                cohortLending(factory),
                unplacedWork(factory),
                energyCost(factory),
                nodeCost(factory),
                carbonCost(factory),
                preemptionRisk(factory),
                moveCost(factory),
                preemptionLoss(factory),
                fairSharing(factory),
                gangBlockSpread(factory),
                gpuFragmentation(factory)
        };
    }

    /** Per cohort and flavor its queues list, how far the tasks counted against it break Q1 and Q2. */
    private static UniConstraintStream<QuotaExcess> quotaExcess(ConstraintFactory factory) {
        return factory.forEach(TaskAssignment.class)
                .filter(t -> t.getQuotaGroup() != null)
                .groupBy(QUOTA_GROUP_OF, QUOTA_USAGE)
                .map((group, excess) -> excess);
    }

    private static UniConstraintStream<NodeLayout> layouts(ConstraintFactory factory) {
        return factory.forEach(TaskAssignment.class).groupBy(NODE_OF, TASK_LIST).map(LAY_OUT);
    }

    /**
     * A per-task rule of the shared table ({@link TaskRule}): one hard point per task that breaks it. A running
     * task staying where it is is today's state, not a decision, and the table judges it as such.
     */
    private static Constraint perTask(ConstraintFactory factory, TaskRule rule) {
        return factory.forEach(TaskAssignment.class)
                .filter(t -> rule.breaks(t.getJob(), t.getNode(), t.keepsOriginalGpus(t.getNode())))
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((t, score) -> Justifications.task(t, rule.why(t.getJob(), t.getNode())))
                .asConstraint(rule.id());
    }

    Constraint nodeAvailable(ConstraintFactory factory) {
        // Rules 1 and 9: new work and moves only onto healthy, schedulable nodes; nothing stays on a dead node.
        return perTask(factory, TaskRule.NODE_AVAILABLE);
    }

    Constraint gpuModel(ConstraintFactory factory) {
        // Rule 2: the node's GPU model must be one the job allows.
        return perTask(factory, TaskRule.GPU_MODEL);
    }

    Constraint cpuCapacity(ConstraintFactory factory) {
        // Rule 3: CPU per node and slot.
        return layouts(factory)
                .filter(layout -> layout.cpuOver() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::cpuOver)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.cpuOver()
                        + " CPU millis x slots over capacity"))
                .asConstraint(ConstraintIds.CPU_CAPACITY);
    }

    Constraint memoryCapacity(ConstraintFactory factory) {
        // Rule 3: memory per node and slot.
        return layouts(factory)
                .filter(layout -> layout.memoryOver() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::memoryOver)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.memoryOver()
                        + " MiB x slots over capacity"))
                .asConstraint(ConstraintIds.MEMORY_CAPACITY);
    }

    Constraint gpuExclusive(ConstraintFactory factory) {
        // Rules 4-5: a WHOLE task holds its GPUs alone.
        return layouts(factory)
                .filter(layout -> layout.wholeShort() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::wholeShort)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.wholeShort()
                        + " milli-GPU x slots of WHOLE demand without a free GPU"))
                .asConstraint(ConstraintIds.GPU_EXCLUSIVE);
    }

    Constraint gpuSharing(ConstraintFactory factory) {
        // Rule 4: SHARED milli-GPU sums to at most 1000 on a GPU no WHOLE or MIG task uses.
        return layouts(factory)
                .filter(layout -> layout.sharedShort() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::sharedShort)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.sharedShort()
                        + " milli-GPU x slots of SHARED demand without room"))
                .asConstraint(ConstraintIds.GPU_SHARING);
    }

    Constraint migGeometry(ConstraintFactory factory) {
        // Rule 4: MIG instances at valid placements, no overlapping memory slices, <= 7 compute slices, max instances.
        return layouts(factory)
                .filter(layout -> layout.migShort() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::migShort)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.migShort()
                        + " compute slices x slots of MIG demand without a placement"))
                .asConstraint(ConstraintIds.MIG_GEOMETRY);
    }

    Constraint migNodeKind(ConstraintFactory factory) {
        // Rule 4: MIG tasks only on MIG nodes, and nothing but MIG tasks on those nodes' GPUs.
        return perTask(factory, TaskRule.MIG_NODE_KIND);
    }

    Constraint spotPreemptible(ConstraintFactory factory) {
        // Rule 7: work that may not be preempted never goes to a SPOT node.
        return perTask(factory, TaskRule.SPOT_PREEMPTIBLE);
    }

    Constraint gangAllOrNothing(ConstraintFactory factory) {
        // Rule 6: every task of a gang is placed, or none is.
        return factory.forEachIncludingUnassigned(TaskAssignment.class)
                .filter(t -> !t.isRunning() && t.getJob().tasks() > 1)
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.sum(t -> t.getNode() == null ? 0 : 1))
                .filter((job, placed) -> placed > 0 && placed < job.tasks())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (job, placed) -> job.tasks() - placed)
                .justifyWith((job, placed, score) -> Justifications.job(job, placed + " of " + job.tasks()
                        + " tasks placed"))
                .asConstraint(ConstraintIds.GANG_ALL_OR_NOTHING);
    }

    Constraint gangSameStart(ConstraintFactory factory) {
        // Rule 6: a gang starts together.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> !t.isRunning() && t.getJob().tasks() > 1)
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.min(TaskAssignment::getStartSlot),
                        ConstraintCollectors.max(TaskAssignment::getStartSlot))
                .filter((job, first, last) -> last > first)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (job, first, last) -> last - first)
                .justifyWith((job, first, last, score) -> Justifications.job(job, "tasks start in slots "
                        + first + ".." + last))
                .asConstraint(ConstraintIds.GANG_SAME_START);
    }

    Constraint topologyNode(ConstraintFactory factory) {
        // Rule 6: NODE (and ISLAND) gangs sit on one node.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> t.getJob().topology().requiresOneNode())
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.countDistinct(TaskAssignment::getNode))
                .filter((job, nodes) -> nodes > 1)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (job, nodes) -> nodes - 1)
                .justifyWith((job, nodes, score) -> Justifications.job(job, job.topology() + " gang on " + nodes
                        + " nodes"))
                .asConstraint(ConstraintIds.TOPOLOGY_NODE);
    }

    Constraint topologyIsland(ConstraintFactory factory) {
        // Rule 6: ISLAND gangs have every GPU inside one NVLink island.
        return layouts(factory)
                .filter(layout -> layout.islandShort() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeLayout::islandShort)
                .justifyWith((layout, score) -> Justifications.node(layout, layout.islandShort()
                        + " milli-GPU x slots of ISLAND gangs across NVLink islands"))
                .asConstraint(ConstraintIds.TOPOLOGY_ISLAND);
    }

    Constraint topologyRack(ConstraintFactory factory) {
        // Rule 6: RACK gangs sit in one rack.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> t.getJob().topology() == Topology.RACK)
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.countDistinct(t -> t.getNode().rackKey()))
                .filter((job, racks) -> racks > 1)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (job, racks) -> racks - 1)
                .justifyWith((job, racks, score) -> Justifications.job(job, "RACK gang in " + racks + " racks"))
                .asConstraint(ConstraintIds.TOPOLOGY_RACK);
    }

    Constraint topologyBlock(ConstraintFactory factory) {
        // Rule 6: BLOCK gangs sit in one network block.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> t.getJob().topology() == Topology.BLOCK)
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.countDistinct(t -> t.getNode().blockKey()))
                .filter((job, blocks) -> blocks > 1)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (job, blocks) -> blocks - 1)
                .justifyWith((job, blocks, score) -> Justifications.job(job, "BLOCK gang in " + blocks
                        + " blocks"))
                .asConstraint(ConstraintIds.TOPOLOGY_BLOCK);
    }

    Constraint timeWindow(ConstraintFactory factory) {
        // Rule 8: start in [earliestStart, deadline - duration]; without a deadline, start now.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> !t.isRunning()
                        && TimeWindow.penalty(t.getStartSlot(), t.getEarliestStart(), t.getLatestStart()) > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, t -> TimeWindow.penalty(t.getStartSlot(),
                        t.getEarliestStart(), t.getLatestStart()))
                .justifyWith((t, score) -> Justifications.task(t, "starts in slot " + t.getStartSlot()
                        + ", outside its window " + t.getEarliestStart() + ".." + t.getLatestStart()))
                .asConstraint(ConstraintIds.TIME_WINDOW);
    }

    Constraint runningTaskKept(ConstraintFactory factory) {
        // Rule 9: running work on a healthy node is never dropped, and work that cannot migrate does not move.
        return factory.forEachIncludingUnassigned(TaskAssignment.class)
                .filter(t -> t.isRunning() && !t.isPreempted() && (t.getNode() == null
                        ? t.getRunning().node().healthy()
                        : !t.getRunning().migratable() && !t.getNode().equals(t.getRunning().node())))
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((t, score) -> Justifications.task(t, t.getNode() == null
                        ? "running on healthy " + t.getRunning().node().id() + " but dropped"
                        : "not migratable but moved off " + t.getRunning().node().id()))
                .asConstraint(ConstraintIds.RUNNING_TASK_KEPT);
    }

    Constraint queueFlavor(ConstraintFactory factory) {
        // Rule Q3: a queue's GPU work only on the flavors its quotas list.
        return perTask(factory, TaskRule.QUEUE_FLAVOR);
    }

    Constraint queueQuota(ConstraintFactory factory) {
        // Rule Q1: a queue uses at most nominal + borrowingLimit of a flavor in every slot.
        return quotaExcess(factory)
                .filter(excess -> excess.queueUnits() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, QuotaExcess::queueUnits)
                .justifyWith((excess, score) -> Justifications.quota(excess.group(), excess.queueBreak()))
                .asConstraint(ConstraintIds.QUEUE_QUOTA);
    }

    Constraint cohortLending(ConstraintFactory factory) {
        // Rule Q2: what the queues of a cohort use above their guarantees is at most what the cohort lends.
        return quotaExcess(factory)
                .filter(excess -> excess.cohortUnits() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, QuotaExcess::cohortUnits)
                .justifyWith((excess, score) -> Justifications.quota(excess.group(), excess.cohortBreak()))
                .asConstraint(ConstraintIds.COHORT_LENDING);
    }

    Constraint unplacedWork(ConstraintFactory factory) {
        // Section 7: what is left unplaced costs priority x GPU share, so big and important work goes first.
        // Preempted work is not left unplaced by the plan: its scheduler requeues it (section 9).
        return factory.forEachIncludingUnassigned(TaskAssignment.class)
                .filter(t -> t.getNode() == null && !t.isPreempted())
                .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, TaskAssignment::getUnplacedWeight)
                .justifyWith((t, score) -> Justifications.task(t, "unplaced: priority " + t.getJob().priority()
                        + " x " + t.getJob().gpu()))
                .asConstraint(ConstraintIds.UNPLACED_WORK);
    }
    // ---- Soft: one currency, micro-USD. ----

    Constraint energyCost(ConstraintFactory factory) {
        // Energy the decisions cause, at the zone's hourly price (which can be negative: then it pays to run).
        return layouts(factory)
                .join(CostModel.class)
                .impactLong(HardMediumSoftLongScore.ONE_SOFT, (layout, cost) -> -CostTerms.energy(layout, cost))
                .justifyWith((layout, cost, score) -> Justifications.node(layout, "energy "
                        + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.ENERGY_COST);
    }

    Constraint nodeCost(ConstraintFactory factory) {
        // Every hour a node is on costs its hourly price: packing work onto fewer nodes and hours pays.
        return layouts(factory)
                .filter(layout -> layout.onSlots() > 0)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, CostTerms::nodeHours)
                .justifyWith((layout, cost, score) -> Justifications.node(layout, "on for " + layout.onSlots()
                        + " h: " + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.NODE_COST);
    }

    Constraint carbonCost(ConstraintFactory factory) {
        // Emissions at the zone's hourly intensity, priced by the internal carbon price (USD/t = micro-USD/g).
        return layouts(factory)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, CostTerms::carbon)
                .justifyWith((layout, cost, score) -> Justifications.node(layout, "emissions "
                        + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.CARBON_COST);
    }

    Constraint preemptionRisk(ConstraintFactory factory) {
        // Work on SPOT nodes may be reclaimed: one reclaim restarts the whole gang once, however many of its tasks
        // the node holds, so the expected lost GPU-hours are counted per gang, node and slot (v1.1).
        return factory.forEach(TaskAssignment.class)
                .filter(t -> t.getNode().isSpot() && t.getNode().interruptionPerHour() > 0)
                .groupBy(TaskAssignment::getJob, NODE_OF, TASK_LIST)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (job, node, gang, cost) -> CostTerms.preemption(gang,
                        node, cost))
                .justifyWith((job, node, gang, cost, score) -> Justifications.job(job, "on SPOT node " + node.id()
                        + " (interruption " + node.interruptionPerHour() + "/h): "
                        + Justifications.usd(-score.softScore()) + " expected loss"))
                .asConstraint(ConstraintIds.PREEMPTION_RISK);
    }

    Constraint moveCost(ConstraintFactory factory) {
        // A move restarts the gang (restart plus half a checkpoint of GPU time) and disrupts: it must pay.
        return factory.forEach(TaskAssignment.class)
                .filter(TaskAssignment::isMoved)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, CostTerms::move)
                .justifyWith((t, cost, score) -> Justifications.task(t, "moved from " + t.getRunning().node().id()
                        + " to " + t.getNode().id() + ": " + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.MOVE_COST);
    }

    Constraint preemptionLoss(ConstraintFactory factory) {
        // A preempted task loses the work since its last checkpoint and pays its restart (section 9), priced like
        // spot loss.
        return factory.forEachIncludingUnassigned(TaskAssignment.class)
                .filter(TaskAssignment::isPreempted)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, CostTerms::preemptionLoss)
                .justifyWith((t, cost, score) -> Justifications.task(t, "preempted on "
                        + t.getRunning().node().id() + " for " + t.getPreemptedFor().id() + ": "
                        + Justifications.usd(-score.softScore()) + " of lost work"))
                .asConstraint(ConstraintIds.PREEMPTION_LOSS);
    }

    Constraint fairSharing(ConstraintFactory factory) {
        // What a cohort lends goes to its borrowing queues in proportion to their fairShareWeight (section 9).
        return quotaExcess(factory)
                .filter(excess -> excess.fairShareUnits() > 0)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (excess, cost) -> CostTerms.fairSharing(
                        excess.fairShareUnits(), cost))
                .justifyWith((excess, cost, score) -> Justifications.quota(excess.group(), String.format(
                        java.util.Locale.ROOT, "%.2f GPU-hours of what cohort %s lends of %s are held off the "
                                + "fair-share split: %s", QuotaUnits.gpus(excess.fairShareUnits()),
                        excess.group().cohort(), excess.group().flavor(), Justifications.usd(-score.softScore()))))
                .asConstraint(ConstraintIds.FAIR_SHARING);
    }

    Constraint gangBlockSpread(ConstraintFactory factory) {
        // A gang that may go anywhere still runs best inside one network block.
        return factory.forEach(TaskAssignment.class)
                .filter(t -> !t.isRunning() && t.getJob().tasks() > 1 && t.getJob().topology() == Topology.ANY)
                .groupBy(TaskAssignment::getJob, ConstraintCollectors.countDistinct(t -> t.getNode().blockKey()))
                .filter((job, blocks) -> blocks > 1)
                .join(CostModel.class)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (job, blocks, cost) -> CostTerms.blockSpread(blocks,
                        cost))
                .justifyWith((job, blocks, cost, score) -> Justifications.job(job, "gang spans " + blocks
                        + " network blocks: " + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.GANG_BLOCK_SPREAD);
    }

    Constraint gpuFragmentation(ConstraintFactory factory) {
        // Leave whole GPUs and whole nodes free for the tasks that need them (FGD's measure, per slot).
        return layouts(factory)
                .join(CostModel.class)
                .impactLong(HardMediumSoftLongScore.ONE_SOFT, (layout, cost) -> -CostTerms.fragmentation(layout,
                        cost))
                .justifyWith((layout, cost, score) -> Justifications.node(layout, "fragmentation "
                        + Justifications.usd(-score.softScore())))
                .asConstraint(ConstraintIds.GPU_FRAGMENTATION);
    }
}
