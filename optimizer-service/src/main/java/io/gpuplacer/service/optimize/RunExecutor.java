package io.gpuplacer.service.optimize;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.solve.PlacementSolver;
import io.gpuplacer.service.weights.WeightsService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.sse.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Solves the runs of this replica on a pool of {@code gpuplacer.optimization-threads}: each new best streamed,
 * counted in the metrics and offered to the checkpoints; the plan checked against the hard rules; the end stored
 * (or kept until the database answers). A run that fails ends FAILED with its last checkpoint.
 */
final class RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    /** The longest error message a run keeps (its column holds 2,000 characters). */
    static final int MAX_ERROR = 500;

    private final OptimizationRunRepository repository;
    private final RunSolver solver;
    private final RunCheckpoints checkpoints;
    private final RunEnds unstoredEnds;
    private final RunMetrics metrics;
    private final Clock clock;
    private final Map<String, LiveRun> live;
    private final ExecutorService solvers;
    // Runs solving or waiting; a run leaves it before its end is stored, so whoever sees the end finds room.
    private final AtomicInteger activeRuns = new AtomicInteger();

    RunExecutor(OptimizationRunRepository repository, RunSolver solver, MeterRegistry metrics, Clock clock,
                int threads, int checkpointSeconds, Map<String, LiveRun> live) {
        this.repository = repository;
        this.solver = solver;
        this.checkpoints = new RunCheckpoints(repository, Duration.ofSeconds(checkpointSeconds).toNanos());
        this.unstoredEnds = new RunEnds(repository);
        this.metrics = new RunMetrics(metrics);
        this.clock = clock;
        this.live = live;
        this.solvers = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "optimization");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs solving or waiting in this replica. */
    int active() {
        return activeRuns.get();
    }

    /** Queues a stored run for solving. */
    void start(OptimizationRunRecord record, Problem problem, WeightsService.Version w, int seconds, LiveRun run) {
        live.put(record.id(), run);
        activeRuns.incrementAndGet(); // once stored: a failed save takes no room
        solvers.submit(() -> solve(record, problem, w, seconds, run));
    }

    /** The end of a run that could not be stored yet, if any. */
    OptimizationRunRecord unstoredEnd(String id) {
        return unstoredEnds.find(id);
    }

    void storeUnstoredEnds() {
        unstoredEnds.storeKept();
    }

    /** Stops every run (each keeps its best plan) and waits up to 30 s for their ends to be stored. */
    void shutdown() {
        live.values().forEach(LiveRun::stop);
        solvers.shutdown();
        try {
            if (!solvers.awaitTermination(30, TimeUnit.SECONDS)) {
                solvers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoints.shutdown();
    }

    private void solve(OptimizationRunRecord record, Problem problem, WeightsService.Version w, int seconds,
                       LiveRun run) {
        long started = System.nanoTime();
        try {
            if (run.cancelRequested) {
                finish(record, run, OptimizationService.CANCELLED, null, null, "cancelled before it started");
                return;
            }
            PlacementSolver.Options options = PlacementSolver.Options.forSeconds(seconds).withWeights(w.weights());
            PlacementSolver.Result result = solver.solve(problem, options, p -> {
                OptimizationView.Progress progress = new OptimizationView.Progress(p.elapsed().toMillis(),
                        p.score().toString(), p.placedTasks(), p.totalTasks());
                run.progress = progress;
                run.events.tryEmitNext(Event.of(progress).name("progress"));
                metrics.best(p.score());
                checkpoints.offer(run, p);
            }, stop -> {
                run.stop = stop;
                if (run.cancelRequested) {
                    stop.run(); // the stop came while the solver was starting
                }
            });
            Plan plan = result.plan();
            List<String> broken = PlanValidator.validate(problem, plan);
            if (!broken.isEmpty()) {
                finish(record, run, OptimizationService.FAILED, plan.score(), null, "the plan breaks " + broken.size() + " hard rule(s), "
                        + "first: " + broken.get(0));
                return;
            }
            finish(record, run, run.cancelRequested ? OptimizationService.CANCELLED : OptimizationService.DONE, plan.score(), PlanIO.toJson(plan), null);
        } catch (Throwable e) { // an Error too (out of memory): the run must end, not stay SOLVING
            LOG.error("optimization {} failed", record.id(), e);
            finish(record, run, OptimizationService.FAILED, run.checkpointScore, run.checkpointPlan, describe(e));
        } finally {
            metrics.took(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A readable, bounded message for a run's failure: the kind of error and what it says. */
    static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return Shortened.to(text, MAX_ERROR);
    }

    private void finish(OptimizationRunRecord record, LiveRun run, String status, String score, String plan,
                        String error) {
        OptimizationRunRecord done = record.finished(status, score, plan, error, clock.instant());
        try {
            synchronized (run) {
                if (!run.finished) {
                    activeRuns.decrementAndGet();
                }
                run.finished = true;
                repository.update(done);
            }
        } catch (RuntimeException e) {
            unstoredEnds.keep(done, e); // stored once the database answers again (storeKept)
        } finally {
            metrics.ended(status);
            live.remove(record.id());
            run.events.tryEmitNext(Event.of(new OptimizationView.Progress(run.progress == null ? 0
                    : run.progress.elapsedMillis(), score, run.progress == null ? 0 : run.progress.placedTasks(),
                    run.progress == null ? record.taskCount() : run.progress.totalTasks())).name(status));
            run.events.tryEmitComplete();
        }
    }
}
