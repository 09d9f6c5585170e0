package io.gpuplacer.service.state;

import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A problem read from a snapshot observed at another instant than its slot 0: each running task's remaining hours
 * counted from slot 0 ({@code now}) rather than from when the snapshot was observed, and tasks that have ended
 * by then left out. So the state does not freeze between two snapshots: an hour after a PUT, an hour less is left
 * of every task. Applied to a problem already validated, so nothing here can make input wrong.
 */
final class RunningAge {

    private RunningAge() {
    }

    static Problem asOf(Problem problem, Instant observedAt) {
        if (problem.running().isEmpty() || observedAt.equals(problem.now())) {
            return problem;
        }
        double elapsedHours = Duration.between(observedAt, problem.now()).toMillis() / 3_600_000.0;
        List<RunningTask> running = new ArrayList<>(problem.running().size());
        for (RunningTask r : problem.running()) {
            double left = r.remainingHours() - elapsedHours;
            if (left > 1e-9) {
                running.add(new RunningTask(r.job(), r.task(), r.node(), r.gpus(), r.migStart(), left,
                        r.migratable(), r.startedAt()));
            }
        }
        return new Problem(problem.now(), problem.horizonHours(), problem.zones(), problem.nodes(), problem.jobs(),
                List.copyOf(running), problem.queues(), problem.warnings());
    }
}
