package io.gpuplacer.model.domain;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.ProblemFactProperty;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;

import java.util.List;

/** The planning solution: the validated problem, one entity per task, and the score. */
@PlanningSolution
public class PlacementSolution {

    private Problem problem;
    @ProblemFactCollectionProperty
    private List<Node> nodes;
    @ProblemFactCollectionProperty
    private List<Job> jobs;
    @ProblemFactProperty
    private CostModel costModel;
    private ConstraintWeightOverrides<HardMediumSoftLongScore> constraintWeightOverrides;
    @PlanningEntityCollectionProperty
    private List<TaskAssignment> tasks;
    @PlanningScore
    private HardMediumSoftLongScore score;

    /** For Timefold's cloner. */
    public PlacementSolution() {
    }

    public PlacementSolution(Problem problem, List<Node> nodes, List<Job> jobs, CostModel costModel,
                             ConstraintWeightOverrides<HardMediumSoftLongScore> overrides, List<TaskAssignment> tasks) {
        this.problem = problem;
        this.nodes = nodes;
        this.jobs = jobs;
        this.costModel = costModel;
        this.constraintWeightOverrides = overrides;
        this.tasks = tasks;
    }

    public CostModel getCostModel() {
        return costModel;
    }

    /** Per-constraint weights set by the operator; constraints not named keep their default weight. */
    public ConstraintWeightOverrides<HardMediumSoftLongScore> getConstraintWeightOverrides() {
        return constraintWeightOverrides;
    }

    public void setConstraintWeightOverrides(ConstraintWeightOverrides<HardMediumSoftLongScore> overrides) {
        this.constraintWeightOverrides = overrides;
    }

    public Problem getProblem() {
        return problem;
    }

    public List<Node> getNodes() {
        return nodes;
    }

    public List<Job> getJobs() {
        return jobs;
    }

    public List<TaskAssignment> getTasks() {
        return tasks;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}
