package io.gpuplacer.constraints.oracle;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.constraints.oracle.PlacementOracle.JobOption;
import io.gpuplacer.constraints.oracle.PlacementOracle.TaskPlacement;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.problem.Zone;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Places for a whole gang, all tasks from one start: on one node (NODE, ISLAND), or packed task by task inside a
 * rack, a block, or anywhere (ANY: per block, and across blocks at the block-spread price).
 */
final class GangPacker {

    /** What adding one more task to a node would change: the gain, the node's score then, milli-GPU left. */
    private record Gain(HardMediumSoftLongScore gain, HardMediumSoftLongScore with, long left) {
    }

    /** One node of a scope while a gang is packed: its score so far, the gang's tasks on it, its next gain. */
    private static final class Candidate {
        final Node node;
        HardMediumSoftLongScore current;
        final List<TaskAssignment> placed = new ArrayList<>(0);
        Gain next;

        Candidate(Node node, HardMediumSoftLongScore current) {
            this.node = node;
            this.current = current;
        }
    }

    private final OracleIndex index;

    GangPacker(OracleIndex index) {
        this.index = index;
    }

    /** The best places for a gang (every task of one pending job, more than one), best first. */
    List<JobOption> recommend(List<TaskAssignment> tasks, int limit, SearchBudget budget) {
        TaskAssignment first = tasks.get(0);
        List<JobOption> options = new ArrayList<>();
        if (first.getJob().topology().requiresOneNode()) {
            Map<Zone, List<Integer>> startsByZone = new HashMap<>();
            for (Node node : index.representatives(first.getNodeRange())) {
                if (budget.spent()) {
                    break;
                }
                for (int start : startsByZone.computeIfAbsent(node.zone(), z -> index.startsToTry(first, List.of(z),
                        limit))) {
                    JobOption option = onOneNode(tasks, node, start);
                    if (option != null && option.delta().hardScore() == 0) {
                        options.add(option);
                    }
                }
            }
            options.sort(PlacementOracle.BEST_JOB_FIRST);
            BitSet range = OracleIndex.rangeOf(first);
            List<JobOption> out = new ArrayList<>(limit);
            for (JobOption o : options) {
                for (Node member : index.alike(o.placements().get(0).node(), range)) {
                    if (out.size() == limit) {
                        return out;
                    }
                    out.add(new JobOption(o.placements().stream().map(p -> new TaskPlacement(p.task(), member,
                            p.start(), p.gpus(), p.migStart())).toList(), o.delta(), o.gpuLeftMilli()));
                }
            }
            return out;
        }
        Set<List<String>> seen = new HashSet<>();
        for (List<Node> scope : scopes(first)) {
            Set<Zone> zones = new LinkedHashSet<>();
            scope.forEach(n -> zones.add(n.zone()));
            for (int start : index.startsToTry(first, zones, limit)) {
                if (budget.spent()) {
                    break;
                }
                JobOption option = packed(tasks, scope, start);
                if (option != null && option.delta().hardScore() == 0 && seen.add(signature(option))) {
                    options.add(option);
                }
            }
        }
        options.sort(PlacementOracle.BEST_JOB_FIRST);
        return options.subList(0, Math.min(limit, options.size()));
    }

    /** The groups of nodes a gang may fill: one node each, a rack, a block, or (ANY) each block and all nodes. */
    private static List<List<Node>> scopes(TaskAssignment task) {
        List<Node> range = task.getNodeRange();
        return switch (task.getJob().topology()) {
            case NODE, ISLAND -> range.stream().map(List::of).toList();
            case RACK -> List.copyOf(groupBy(range, Node::rackKey));
            case BLOCK -> List.copyOf(groupBy(range, Node::blockKey));
            case ANY -> {
                List<List<Node>> blocks = new ArrayList<>(groupBy(range, Node::blockKey));
                if (blocks.size() > 1) {
                    blocks.add(range);
                }
                yield blocks;
            }
        };
    }

    private static Collection<List<Node>> groupBy(List<Node> nodes, Function<Node, String> key) {
        Map<String, List<Node>> groups = new LinkedHashMap<>();
        for (Node node : nodes) {
            groups.computeIfAbsent(key.apply(node), k -> new ArrayList<>()).add(node);
        }
        return groups.values();
    }

    private static List<String> signature(JobOption option) {
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(option.placements().get(0).start()));
        for (TaskPlacement p : option.placements()) {
            out.add(p.node().id() + Arrays.toString(p.gpus()) + p.migStart());
        }
        out.subList(1, out.size()).sort(null); // the tasks of a gang are alike: the same nodes in any order are one
        return out;
    }

    /** Every task of the gang on one node from the start; null when it cannot hold them. */
    private JobOption onOneNode(List<TaskAssignment> tasks, Node node, int start) {
        if (!index.mayFit(tasks.get(0), node, start, tasks.size())) {
            return null;
        }
        OracleIndex.Evaluation with = index.score(node, tasks, start);
        Node[] nodes = new Node[tasks.size()];
        java.util.Arrays.fill(nodes, node);
        HardMediumSoftLongScore delta = with.score().subtract(index.nodeScore(node))
                .add(index.spotTerm(tasks.get(0), node)).add(index.quotaTerm(tasks, nodes, start));
        int base = index.tasksOn(node);
        List<TaskPlacement> placements = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TaskAssignment task = tasks.get(i);
            delta = delta.add(index.taskTerms(task, node, start));
            placements.add(new TaskPlacement(task, node, start, with.layout().gpus(base + i),
                    with.layout().migStart(base + i)));
        }
        return new JobOption(placements, delta, index.gpuLeft(node, start,
                tasks.size() * OracleIndex.milli(tasks.get(0))));
    }

    /**
     * The gang packed task by task inside the scope from the start: each task to the node whose score changes
     * least with it (the fullest among equals). Null when a task finds no node that keeps the hard score. A
     * node's gain changes only when it takes a task, so only that node is evaluated again; of identical empty
     * nodes one is a candidate at a time.
     */
    private JobOption packed(List<TaskAssignment> tasks, List<Node> allScope, int start) {
        List<Node> scope = index.withQuotaRoom(tasks.get(0), start, allScope); // flavors the queue has room on
        List<Candidate> candidates = new ArrayList<>(scope.size());
        Map<Integer, ArrayDeque<Candidate>> spare = new HashMap<>();
        for (Node node : scope) {
            Candidate candidate = new Candidate(node, index.nodeScore(node));
            candidates.add(candidate);
            int c = index.classOf(node);
            if (c >= 0) {
                ArrayDeque<Candidate> waiting = spare.get(c);
                if (waiting != null) {
                    waiting.add(candidate);
                    continue;
                }
                spare.put(c, new ArrayDeque<>());
            }
            candidate.next = gainOf(candidate, List.of(tasks.get(0)), start);
        }
        HardMediumSoftLongScore delta = HardMediumSoftLongScore.ZERO;
        Map<Node, List<TaskAssignment>> added = new LinkedHashMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            Candidate best = null;
            for (Candidate candidate : candidates) {
                if (candidate.next == null) {
                    continue;
                }
                int cmp = best == null ? 1 : candidate.next.gain().compareTo(best.next.gain());
                if (cmp > 0 || cmp == 0 && candidate.next.left() < best.next.left()) {
                    best = candidate;
                }
            }
            if (best == null) {
                return null;
            }
            int c = index.classOf(best.node);
            if (c >= 0 && best.placed.isEmpty()) { // an identical untouched node becomes the class's candidate
                Candidate standIn = spare.get(c).poll();
                if (standIn != null) {
                    standIn.next = best.next;
                }
            }
            // The tasks of a job are alike: the gain found for one holds for this one.
            best.placed.add(tasks.get(k));
            added.put(best.node, best.placed);
            delta = delta.add(best.next.gain());
            best.current = best.next.with();
            if (k + 1 < tasks.size()) {
                List<TaskAssignment> extras = new ArrayList<>(best.placed);
                extras.add(tasks.get(k + 1));
                best.next = gainOf(best, extras, start);
            }
        }
        List<TaskPlacement> placements = new ArrayList<>(tasks.size());
        Set<String> blocks = new HashSet<>();
        long leftTotal = 0;
        for (var entry : added.entrySet()) {
            Node node = entry.getKey();
            NodeLayout layout = index.score(node, entry.getValue(), start).layout();
            int base = index.tasksOn(node);
            for (int i = 0; i < entry.getValue().size(); i++) {
                placements.add(new TaskPlacement(entry.getValue().get(i), node, start, layout.gpus(base + i),
                        layout.migStart(base + i)));
            }
            blocks.add(node.blockKey());
            leftTotal += index.gpuLeft(node, start, entry.getValue().size() * OracleIndex.milli(tasks.get(0)));
        }
        if (tasks.get(0).getJob().topology() == Topology.ANY) {
            delta = delta.add(index.blockSpread(blocks.size()));
        }
        List<TaskAssignment> placedTasks = placements.stream().map(TaskPlacement::task).toList();
        Node[] nodes = placements.stream().map(TaskPlacement::node).toArray(Node[]::new);
        return new JobOption(placements, delta.add(index.quotaTerm(placedTasks, nodes, start)), leftTotal);
    }

    /** The gain of adding the last of {@code extras} to the node (the others already there); null if it breaks. */
    private Gain gainOf(Candidate candidate, List<TaskAssignment> extras, int start) {
        Node node = candidate.node;
        TaskAssignment task = extras.get(extras.size() - 1);
        if (!index.mayFit(task, node, start, extras.size())) {
            return null;
        }
        HardMediumSoftLongScore with = index.score(node, extras, start).score();
        HardMediumSoftLongScore gain = with.subtract(candidate.current).add(index.taskTerms(task, node, start));
        if (extras.size() == 1) { // the gang's first task on this node brings the gang's spot loss here
            gain = gain.add(index.spotTerm(task, node));
        }
        if (gain.hardScore() < 0) {
            return null;
        }
        return new Gain(gain, with, index.gpuLeft(node, start, extras.size() * OracleIndex.milli(task)));
    }
}
