package io.gpuplacer.service.optimize;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.plan.PlanBuilder;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.solve.PlacementSolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stores a solving run's best plan so far, at most every {@code gpuplacer.checkpoint-seconds}: a crash then loses no
 * more than that (on restart the run is FAILED with this plan). A best that comes too soon is stored by the next
 * best or by a timer when the period is up, whichever is first. The plan has no explanations (they cost a full
 * score analysis); the final plan has them.
 */
final class RunCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);

    private final OptimizationRunRepository repository;
    private final long periodNanos;
    /**
     * Stores a deferred best when its period is up, to the moment: on a thread of its own (the shared scheduler's
     * fixed delay could leave it unstored for up to two periods, more when other jobs held it up).
     */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoints");
        t.setDaemon(true);
        return t;
    });

    RunCheckpoints(OptimizationRunRepository repository, long periodNanos) {
        this.repository = repository;
        this.periodNanos = periodNanos;
    }

    /** A new best of the run. */
    void offer(LiveRun run, PlacementSolver.Progress p) {
        if (p.solution() == null) {
            return;
        }
        // One at a time per run (the solver's events and the timer), and never after the final write.
        synchronized (run) {
            long now = System.nanoTime();
            if (run.finished) {
                return;
            }
            if (run.lastCheckpointNanos != 0 && now - run.lastCheckpointNanos < periodNanos) {
                run.pending = p; // stored by the next best or by the timer when the period is up, whichever is first
                later(run, periodNanos - (now - run.lastCheckpointNanos));
                return;
            }
            if (run.pending != null && run.pending != p && run.pending.elapsed().compareTo(p.elapsed()) > 0) {
                p = run.pending; // a newer best came in meanwhile: store that one
            }
            run.pending = null;
            HardMediumSoftLongScore score = p.score();
            Plan plan = PlanBuilder.build(p.solution(), score.toString(), score.isFeasible(), List.of(),
                    List.of("checkpoint after " + p.elapsed().toSeconds() + " s of solving: the best plan so far"));
            try {
                String json = PlanIO.toJson(plan);
                repository.storeCheckpoint(run.record.id(), score.toString(), json);
                run.lastCheckpointNanos = now;
                run.checkpointScore = score.toString();
                run.checkpointPlan = json;
            } catch (RuntimeException e) { // the solve goes on; tried again a period on
                LOG.warn("optimization {}: checkpoint not stored: {}", run.record.id(), e.toString());
                run.pending = p;
                later(run, periodNanos);
            }
        }
    }

    /** Stores the run's pending best after that long, unless a store is already due. Holds the run's lock. */
    private void later(LiveRun run, long nanos) {
        if (run.storeScheduled) {
            return;
        }
        run.storeScheduled = true;
        try {
            timer.schedule(() -> {
                PlacementSolver.Progress pending;
                synchronized (run) {
                    run.storeScheduled = false;
                    pending = run.pending;
                }
                if (pending != null) {
                    offer(run, pending);
                }
            }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            run.storeScheduled = false; // shutting down: the run's end is stored as it stops
        }
    }

    void shutdown() {
        timer.shutdownNow();
    }
}
