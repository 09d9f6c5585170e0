package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Moves a whole gang at once: every task to its node (all null = unplace the gang) and one start slot. Single
 * change moves cannot do this without passing through a half-placed gang, which the hard score forbids.
 */
public final class GangMove extends AbstractMove<PlacementSolution> {

    private final List<TaskAssignment> tasks;
    private final Node[] nodes;
    private final int start;

    public GangMove(List<TaskAssignment> tasks, Node[] nodes, int start) {
        this.tasks = tasks;
        this.nodes = nodes;
        this.start = start;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<PlacementSolution> scoreDirector) {
        for (int i = 0; i < tasks.size(); i++) {
            TaskAssignment task = tasks.get(i);
            if (!Objects.equals(task.getNode(), nodes[i]) || task.getStartSlot() != start) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<PlacementSolution> scoreDirector) {
        for (int i = 0; i < tasks.size(); i++) {
            Changes.start(scoreDirector, tasks.get(i), start);
            Changes.node(scoreDirector, tasks.get(i), nodes[i]);
        }
    }

    @Override
    public GangMove rebase(ScoreDirector<PlacementSolution> destination) {
        Node[] rebasedNodes = new Node[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            rebasedNodes[i] = nodes[i] == null ? null : destination.lookUpWorkingObject(nodes[i]);
        }
        return new GangMove(rebaseList(tasks, destination), rebasedNodes, start);
    }

    @Override
    public Collection<?> getPlanningEntities() {
        return tasks;
    }

    @Override
    public Collection<?> getPlanningValues() {
        return Arrays.stream(nodes).filter(Objects::nonNull).toList();
    }

    @Override
    public String toString() {
        return "gang " + tasks.get(0).getJob().id() + " -> " + Arrays.toString(nodes) + " @" + start;
    }
}
