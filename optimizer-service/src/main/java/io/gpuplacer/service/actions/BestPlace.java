package io.gpuplacer.service.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.service.state.OracleView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** A held job's best place on a view of the state, as the oracle finds it within a time budget. */
public final class BestPlace {

    private static final Logger LOG = LoggerFactory.getLogger(BestPlace.class);

    private BestPlace() {
    }

    /**
     * The job's best place: within its window, or ({@code startNow}) from the current hour. Null when it has none,
     * or does not read (said once in the log, naming {@code source}).
     */
    public static PlacementOracle.JobOption of(OracleView view, ObjectNode jobJson, boolean startNow, int budgetMillis,
                                               String source) {
        ObjectNode job = jobJson.deepCopy();
        if (startNow) {
            job.putNull("earliestStart").putNull("deadline");
        }
        Job read;
        try {
            read = new ProblemReader().readJob(job, source, view.runningJobIds(), view.base().now(),
                    view.base().queues());
        } catch (InputException e) {
            LOG.info("{}: job {} does not read: {}", source, job.path("id").asText(), e.getMessage());
            return null;
        }
        List<TaskAssignment> tasks = view.tasksOf(read);
        if (tasks.get(0).isPinned()) {
            return null;
        }
        List<PlacementOracle.JobOption> options = view.oracle().recommendJob(tasks, 1,
                SearchBudget.ofMillis(budgetMillis));
        return options.isEmpty() ? null : options.get(0);
    }
}
