package io.gpuplacer.service.optimize;

import io.gpuplacer.service.audit.AuditedChange;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.plan.PlanBuilder;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.api.NotFoundException;
import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.solve.PlacementSolver;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.weights.WeightsService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Optimization runs: a job queue solved on the current cluster, signals and weights in the background (Timefold,
 * the same solver as the {@code solve} command), its progress streamed, its best plan stored. A stopped run keeps
 * the best plan found so far. Runs are stored as they start and as they end, so they outlive the process; a run
 * that was solving when the service stopped is marked FAILED on the next start.
 */
@Context // its solver threads and metrics exist from the start
@Requires(notEnv = Modes.TOOL)
public class OptimizationService {

    public static final String SOLVING = "SOLVING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
    public static final int MAX_SECONDS = 3600;
    private static final Logger LOG = LoggerFactory.getLogger(OptimizationService.class);

    private final AuditedChange audited;
    private final OptimizationRunRepository repository;
    private final StoredRunEvents storedEvents;
    private final RunSolver solver;
    private final long checkpointNanos;
    private final int maxActiveRuns;
    // Runs solving or waiting; a run leaves it before its end is stored, so whoever sees the end finds room.
    private final java.util.concurrent.atomic.AtomicInteger activeRuns = new java.util.concurrent.atomic.AtomicInteger();
    private final ClusterState state;
    private final WeightsService weights;
    private final Clock clock;
    private final ExecutorService solvers;
    /**
     * Stores a deferred best when its period is up, to the moment: on a thread of its own (the shared scheduler's
     * fixed delay could leave it unstored for up to two periods, more when other jobs held it up).
     */
    private final java.util.concurrent.ScheduledExecutorService checkpointTimer =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "checkpoints");
                t.setDaemon(true);
                return t;
            });
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();
    private final ReplicaLocks replicas;
    /** Runs that ended while the database was away: their end, stored once it answers again. */
    private final Map<String, OptimizationRunRecord> unstoredEnds = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Timer durations;
    private final AtomicLong[] bestScore = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

    /** A run in this process: what the stop button calls, the progress so far, the event stream. */
    private static final class LiveRun {
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
    }

    /** The longest error message a run keeps (its column holds 2,000 characters). */
    static final int MAX_ERROR = 500;

    public OptimizationService(OptimizationRunRepository repository, ClusterState state, WeightsService weights,
                               Clock clock, MeterRegistry metrics, ServiceSettings settings, RunSolver solver,
                               ReplicaLocks replicas, AuditedChange audited) {
        this.replicas = replicas;
        this.audited = audited;
        int threads = settings.optimizationThreads();
        this.solver = solver;
        this.checkpointNanos = Duration.ofSeconds(settings.checkpointSeconds()).toNanos();
        this.maxActiveRuns = settings.maxActiveRuns();
        this.repository = repository;
        this.storedEvents = new StoredRunEvents(repository);
        this.state = state;
        this.weights = weights;
        this.clock = clock;
        this.metrics = metrics;
        this.solvers = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "optimization");
            t.setDaemon(true);
            return t;
        });
        this.durations = Timer.builder("gpuplacer.optimization.duration")
                .description("wall time of finished optimization runs").register(metrics);
        String[] levels = {"hard", "medium", "soft"};
        for (int i = 0; i < 3; i++) {
            AtomicLong value = bestScore[i];
            metrics.gauge("gpuplacer.optimization.best.score", List.of(io.micrometer.core.instrument.Tag.of("level",
                    levels[i])), value, AtomicLong::doubleValue);
        }
    }

    @PreDestroy
    void stopAll() {
        live.values().forEach(run -> {
            run.cancelRequested = true;
            Runnable stop = run.stop;
            if (stop != null) {
                stop.run();
            }
        });
        solvers.shutdown();
        try {
            if (!solvers.awaitTermination(30, TimeUnit.SECONDS)) {
                solvers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointTimer.shutdownNow();
    }

    /**
     * Starts a run of {@code {"jobs": <jobs document or array of jobs>, "seconds": n}}: the queue is read against
     * the current state first (bad input is refused, nothing stored), then solved in the background.
     */
    public synchronized OptimizationView submit(JsonNode request) throws InputException {
        int seconds = 10;
        JsonNode secondsField = request.get("seconds");
        if (secondsField != null && !secondsField.isNull()) {
            if (!secondsField.isIntegralNumber() || secondsField.asLong() < 1 || secondsField.asLong() > MAX_SECONDS) {
                throw new InputException("seconds", secondsField.toString(), "seconds: " + secondsField
                        + " must be a whole number from 1 to " + MAX_SECONDS);
            }
            seconds = secondsField.asInt();
        }
        JsonNode jobs = request.get("jobs");
        if (jobs == null || !(jobs.isObject() || jobs.isArray())) {
            throw new InputException("jobs", jobs == null ? null : jobs.toString(), "jobs: expected the job queue: "
                    + "a jobs document ({\"now\", \"horizonHours\", \"jobs\": [...]}) or an array of jobs");
        }
        Problem problem;
        try {
            problem = state.problemWith(jobs);
        } catch (InputException e) {
            throw new InputException("jobs." + e.field(), e.value(), e.getMessage());
        }
        WeightsService.Version w = weights.current();
        int tasks = problem.jobs().stream().mapToInt(j -> j.tasks()).sum();
        // Counted on every replica (the stored SOLVING runs), checked after the input, so bad input is still a 400.
        long active = Math.max(activeRuns.get(), repository.countSolving());
        if (active >= maxActiveRuns) {
            throw new TooManyRunsException(active + " optimization runs are solving or waiting on the service's "
                    + "replicas (at most " + maxActiveRuns + ", gpuplacer.max-active-runs); try again when one has "
                    + "ended", seconds);
        }
        OptimizationRunRecord fresh = new OptimizationRunRecord(UUID.randomUUID().toString(), SOLVING, seconds,
                problem.jobs().size(), tasks, w.version(), jobs.toString(), null, null, null, clock.instant(), null,
                replicas.id(), false);
        OptimizationRunRecord record = audited.write(() -> repository.save(fresh), r -> "optimization " + r.id());
        LiveRun run = new LiveRun();
        run.record = record;
        live.put(record.id(), run);
        activeRuns.incrementAndGet(); // once stored: a failed save takes no room
        int limit = seconds;
        solvers.submit(() -> solve(record, problem, w, limit, run));
        return view(record, run);
    }

    private void solve(OptimizationRunRecord record, Problem problem, WeightsService.Version w, int seconds,
                       LiveRun run) {
        long started = System.nanoTime();
        try {
            if (run.cancelRequested) {
                finish(record, run, CANCELLED, null, null, "cancelled before it started");
                return;
            }
            PlacementSolver.Options options = PlacementSolver.Options.forSeconds(seconds).withWeights(w.weights());
            PlacementSolver.Result result = solver.solve(problem, options, p -> {
                OptimizationView.Progress progress = new OptimizationView.Progress(p.elapsed().toMillis(),
                        p.score().toString(), p.placedTasks(), p.totalTasks());
                run.progress = progress;
                run.events.tryEmitNext(Event.of(progress).name("progress"));
                record(p.score());
                checkpoint(record, run, p);
            }, stop -> {
                run.stop = stop;
                if (run.cancelRequested) {
                    stop.run(); // the stop came while the solver was starting
                }
            });
            Plan plan = result.plan();
            List<String> broken = PlanValidator.validate(problem, plan);
            if (!broken.isEmpty()) {
                finish(record, run, FAILED, plan.score(), null, "the plan breaks " + broken.size() + " hard rule(s), "
                        + "first: " + broken.get(0));
                return;
            }
            finish(record, run, run.cancelRequested ? CANCELLED : DONE, plan.score(), PlanIO.toJson(plan), null);
        } catch (Throwable e) { // an Error too (out of memory): the run must end, not stay SOLVING
            LOG.error("optimization {} failed", record.id(), e);
            finish(record, run, FAILED, run.checkpointScore, run.checkpointPlan, describe(e));
        } finally {
            durations.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Stores the best plan so far, at most every {@code gpuplacer.checkpoint-seconds}: a crash then loses no more
     * than that (on restart the run is FAILED with this plan). The plan has no explanations (they cost a full
     * score analysis); the final plan has them.
     */
    private void checkpoint(OptimizationRunRecord record, LiveRun run, PlacementSolver.Progress p) {
        if (p.solution() == null) {
            return;
        }
        // One at a time per run (the solver's events and the scheduled flush), and never after the final write.
        synchronized (run) {
            long now = System.nanoTime();
            if (run.finished) {
                return;
            }
            if (run.lastCheckpointNanos != 0 && now - run.lastCheckpointNanos < checkpointNanos) {
                run.pending = p; // stored by the next best or by the timer when the period is up, whichever is first
                later(run, checkpointNanos - (now - run.lastCheckpointNanos));
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
                repository.storeCheckpoint(record.id(), score.toString(), json);
                run.lastCheckpointNanos = now;
                run.checkpointScore = score.toString();
                run.checkpointPlan = json;
            } catch (RuntimeException e) { // the solve goes on; tried again a period on
                LOG.warn("optimization {}: checkpoint not stored: {}", record.id(), e.toString());
                run.pending = p;
                later(run, checkpointNanos);
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
            checkpointTimer.schedule(() -> {
                PlacementSolver.Progress pending;
                synchronized (run) {
                    run.storeScheduled = false;
                    pending = run.pending;
                }
                if (pending != null) {
                    checkpoint(run.record, run, pending);
                }
            }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            run.storeScheduled = false; // shutting down: the run's end is stored by close()
        }
    }

    /** Stores the ends of runs that finished while the database was away, once it answers. */
    @Scheduled(fixedDelay = "${gpuplacer.checkpoint-seconds:10}s")
    void storeUnstoredEnds() {
        for (OptimizationRunRecord done : unstoredEnds.values()) {
            try {
                repository.update(done);
                unstoredEnds.remove(done.id());
                LOG.info("optimization {}: its end ({}) is stored now", done.id(), done.status());
            } catch (RuntimeException e) {
                break; // the database is still away
            }
        }
    }

    /** A readable, bounded message for a run's failure: the kind of error and what it says. */
    static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 3) + "...";
    }

    private void record(HardMediumSoftLongScore score) {
        bestScore[0].set(score.hardScore());
        bestScore[1].set(score.mediumScore());
        bestScore[2].set(score.softScore());
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
            // Kept in memory and stored once the database answers again (storeUnstoredEnds tries every period).
            unstoredEnds.put(done.id(), done);
            LOG.error("optimization {}: could not store its end ({}), will retry: {}", record.id(), status,
                    e.toString());
        } finally {
            Counter.builder("gpuplacer.optimizations").tag("status", status).register(metrics).increment();
            live.remove(record.id());
            run.events.tryEmitNext(Event.of(new OptimizationView.Progress(run.progress == null ? 0
                    : run.progress.elapsedMillis(), score, run.progress == null ? 0 : run.progress.placedTasks(),
                    run.progress == null ? record.taskCount() : run.progress.totalTasks())).name(status));
            run.events.tryEmitComplete();
        }
    }

    public OptimizationView get(String id) {
        OptimizationRunRecord unstored = unstoredEnds.get(id);
        if (unstored != null) {
            return view(unstored, null);
        }
        OptimizationRunRecord record = repository.findById(id).orElseThrow(() -> unknown(id));
        return view(record, live.get(id));
    }

    /**
     * Stops a run early; it keeps the best plan found so far. Stopping a finished run changes nothing. A run another
     * replica solves is marked in the database, and that replica stops it within {@code gpuplacer.sync-seconds}.
     */
    public OptimizationView cancel(String id) {
        OptimizationRunRecord record = repository.findById(id).orElseThrow(() -> unknown(id));
        LiveRun run = live.get(id);
        audited.write(() -> {
            if (run == null && SOLVING.equals(record.status())) {
                repository.requestCancel(id);
            }
            return id;
        }, r -> "optimization " + r);
        if (run != null) {
            stop(run); // once its row is written: nothing is stopped that the audit does not name
        }
        return view(record, run);
    }

    private static void stop(LiveRun run) {
        run.cancelRequested = true;
        Runnable stop = run.stop;
        if (stop != null) {
            stop.run();
        }
    }

    /** Stops the runs of this replica whose stop was asked through another one. */
    @Scheduled(fixedDelay = "${gpuplacer.sync-seconds:2}s", initialDelay = "${gpuplacer.sync-seconds:2}s")
    void stopRunsCancelledElsewhere() {
        if (live.isEmpty()) {
            return;
        }
        try {
            for (String id : repository.findCancelRequested(replicas.id())) {
                LiveRun run = live.get(id);
                if (run != null && !run.cancelRequested) {
                    LOG.info("optimization {}: cancelled through another replica", id);
                    stop(run);
                }
            }
        } catch (RuntimeException e) {
            // the database is away: the next pass looks again
        }
    }

    /**
     * The run's progress as server-sent events: one per new best solution, then the final status; ends then. From
     * a replica that does not solve the run: its stored checkpoints (every {@code gpuplacer.checkpoint-seconds}) as
     * they come, read every second, then its end.
     */
    public Publisher<Event<OptimizationView.Progress>> events(String id) {
        LiveRun run = live.get(id);
        if (run != null) {
            return run.events.asFlux();
        }
        return storedEvents.of(repository.findById(id).orElseThrow(() -> unknown(id)));
    }

    public List<OptimizationView> recent(int limit) {
        return repository.findRecent(limit).stream().map(r -> view(r, live.get(r.id()))).toList();
    }

    private OptimizationView view(OptimizationRunRecord record, LiveRun run) {
        JsonNode plan = null;
        if (record.plan() != null) {
            try {
                plan = ProblemReader.parse(record.plan(), "plan");
            } catch (InputException e) {
                throw new IllegalStateException("stored plan of " + record.id() + " is not JSON", e);
            }
        }
        OptimizationView.Progress progress = run == null ? null : run.progress;
        // While it solves, the live best score is newer than the last checkpoint's.
        String score = progress != null && record.finishedAt() == null ? progress.score() : record.score();
        return new OptimizationView(record.id(), record.status(), score, plan, record.error(), record.seconds(),
                record.jobCount(), record.taskCount(), record.weightsVersion(), record.createdAt(),
                record.finishedAt(), progress);
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException(id, "no optimization run with id \"" + id + "\"");
    }
}
