package io.gpuplacer.model.domain;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPin;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.quota.CohortFlavor;
import io.gpuplacer.model.quota.QuotaBook;

import java.util.List;

/**
 * One task (of a pending job, or running now) and where it goes: the node (null = unplaced) and the start
 * slot. GPU indices and MIG starts are not variables: {@code NodeLayout} derives them per node, so the search
 * space stays node x slot. Value ranges are filtered up front (model, health, cordon, spot, MIG kind, time
 * window), so most hard rules can only be broken by hand-made solutions, not by the search.
 */
@PlanningEntity
public class TaskAssignment {

    public static final String NODE = "node";
    public static final String START_SLOT = "startSlot";

    @PlanningId
    private String id;
    private Job job;
    private int task;
    private RunningTask running;
    private int occupiedSlots;
    private int earliestStart;
    private int latestStart;
    private int horizon;
    private List<Node> nodeRange;
    private List<Integer> startRange;
    @PlanningPin
    private boolean pinned;
    private double gangShare;
    private Node heldNode;
    private int[] heldGpus;
    private Integer heldMigStart;
    private QuotaBook quotaBook = QuotaBook.of(null);
    private Job preemptedFor;

    @PlanningVariable(allowsUnassigned = true, valueRangeProviderRefs = "nodeRange")
    private Node node;
    @PlanningVariable(valueRangeProviderRefs = "startRange")
    private Integer startSlot;

    /** For Timefold's cloner. */
    public TaskAssignment() {
    }

    public TaskAssignment(Job job, int task, RunningTask running, int occupiedSlots, int earliestStart,
                          int latestStart, int horizon, List<Node> nodeRange, List<Integer> startRange,
                          boolean pinned, double gangShare) {
        this.id = (running != null ? "run:" : "job:") + job.id() + "#" + task;
        this.job = job;
        this.task = task;
        this.running = running;
        this.occupiedSlots = occupiedSlots;
        this.earliestStart = earliestStart;
        this.latestStart = latestStart;
        this.horizon = horizon;
        this.nodeRange = nodeRange;
        this.startRange = startRange;
        this.pinned = pinned;
        this.gangShare = gangShare;
    }

    /** GPU share of the whole gang: an interruption or a move restarts all of it. */
    public double getGangShare() {
        return gangShare;
    }

    /** Whether this running task is placed somewhere else than where it runs now. */
    public boolean isMoved() {
        return running != null && node != null && !node.equals(running.node());
    }

    @ValueRangeProvider(id = "nodeRange")
    public List<Node> getNodeRange() {
        return nodeRange;
    }

    @ValueRangeProvider(id = "startRange")
    public List<Integer> getStartRange() {
        return startRange;
    }

    public String getId() {
        return id;
    }

    public Job getJob() {
        return job;
    }

    public int getTask() {
        return task;
    }

    /** The running task this entity stands for, or null for pending work. */
    public RunningTask getRunning() {
        return running;
    }

    public boolean isRunning() {
        return running != null;
    }

    public boolean isPinned() {
        return pinned;
    }

    /** Slots the task occupies from its start, past the horizon too. */
    public int getOccupiedSlots() {
        return occupiedSlots;
    }

    public int getEarliestStart() {
        return earliestStart;
    }

    public int getLatestStart() {
        return latestStart;
    }

    public Node getNode() {
        return node;
    }

    public void setNode(Node node) {
        this.node = node;
    }

    public Integer getStartSlot() {
        return startSlot;
    }

    public void setStartSlot(Integer startSlot) {
        this.startSlot = startSlot;
    }

    /** The first slot after the task's occupancy for a given start, cut at the horizon (the hard rules' view). */
    public int endSlotFor(int start) {
        return Math.min(horizon, start + occupiedSlots);
    }

    /** The first slot after the task's occupancy for a given start, past the horizon too (v1.1 accounting). */
    public int accountedEndFor(int start) {
        return start + occupiedSlots;
    }

    public int getHorizon() {
        return horizon;
    }

    public int getEndSlot() {
        return endSlotFor(startSlot == null ? 0 : startSlot);
    }

    /**
     * Whether the task holds its devices on that node: a running task staying where it runs, or a task the
     * placement oracle committed (devices once given are not shuffled). Anything else is laid out afresh.
     */
    public boolean keepsOriginalGpus(Node on) {
        return running != null ? running.node().equals(on) : heldNode != null && heldNode.equals(on);
    }

    /** The GPU indices the task holds (see {@link #keepsOriginalGpus}). */
    public int[] getHeldGpus() {
        return running != null ? running.gpus() : heldGpus;
    }

    public Integer getHeldMigStart() {
        return running != null ? running.migStart() : heldMigStart;
    }

    /** Records the devices a committed placement got; from then on the layout keeps them. */
    public void holdDevices(Node on, int[] gpus, Integer migStart) {
        this.heldNode = on;
        this.heldGpus = gpus.clone();
        this.heldMigStart = migStart;
    }

    /**
     * Stops this running task from slot 0 to make room for {@code job} (section 9): it leaves its node and stays
     * off it for the whole solve (pinned). Decided before solving, by {@code PreemptionPlanner}.
     */
    public void preemptFor(Job job) {
        this.preemptedFor = job;
        this.node = null;
        this.pinned = true;
    }

    /** Takes a preemption back: the task runs on where it runs, as built. */
    public void keepRunning() {
        this.preemptedFor = null;
        this.node = running.node();
        this.pinned = !running.migratable();
    }

    /** The job this running task is preempted for, or null. */
    public Job getPreemptedFor() {
        return preemptedFor;
    }

    public boolean isPreempted() {
        return preemptedFor != null;
    }

    /** Fixes a pending task on a node from a start slot for the whole solve (a preemptor's placement). */
    public void pinAt(Node on, int start) {
        this.node = on;
        this.startSlot = start;
        this.pinned = true;
    }

    /** Takes {@link #pinAt} back: unplaced and free again. */
    public void unpin() {
        this.node = null;
        this.startSlot = startRange.get(0);
        this.pinned = false;
    }

    /** The quota rules (section 9) the task is counted against where it is, or null (none, or unplaced). */
    public CohortFlavor getQuotaGroup() {
        return node == null ? null : quotaBook.group(job, node.gpuModel());
    }

    /** The quota rules of the problem: set once by the solution factory (shared, never changed while solving). */
    public void setQuotaBook(QuotaBook quotaBook) {
        this.quotaBook = quotaBook;
    }

    public QuotaBook getQuotaBook() {
        return quotaBook;
    }

    /** Medium-level weight when left unplaced (section 7), in thousandths of priority x GPU share. */
    public long getUnplacedWeight() {
        return job.unplacedWeightMilli();
    }

    @Override
    public String toString() {
        return id + "@" + node + "/" + startSlot;
    }
}
