package io.gpuplacer.service.optimize;

import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.solve.PlacementSolver;
import io.micronaut.http.sse.Event;
import reactor.core.publisher.Sinks;

/** A run in this process: what the stop button calls, the progress so far, the event stream, its checkpoints. */
final class LiveRun {

    final Sinks.Many<Event<OptimizationView.Progress>> events = Sinks.many().replay().latest();
    volatile Runnable stop;
    volatile boolean cancelRequested;
    volatile OptimizationView.Progress progress;
    // Guarded by the run itself: a checkpoint never lands after the final write.
    boolean finished;
    long lastCheckpointNanos; // 0: the first best solution is stored at once
    volatile PlacementSolver.Progress pending; // a best solution not stored yet (it came too soon)
    boolean storeScheduled; // a store of the pending best is due on the checkpoint timer
    volatile OptimizationRunRecord record;
    volatile String checkpointScore;
    volatile String checkpointPlan;

    LiveRun(OptimizationRunRecord record) {
        this.record = record;
    }

    /** Asks the solver to stop (now, or as soon as it has started). */
    void stop() {
        cancelRequested = true;
        Runnable s = stop;
        if (s != null) {
            s.run();
        }
    }
}
