package io.gpuplacer.service.optimize;

import io.gpuplacer.service.persistence.ChangeWriter;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.weights.WeightsService;
import io.micrometer.core.instrument.MeterRegistry;
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

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

    private final ChangeWriter audited;
    private final OptimizationRunRepository repository;
    private final StoredRunEvents storedEvents;
    private final RunExecutor executor;
    private final int maxActiveRuns;
    private final ClusterState state;
    private final WeightsService weights;
    private final Clock clock;
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();
    private final ReplicaLocks replicas;

    public OptimizationService(OptimizationRunRepository repository, ClusterState state, WeightsService weights,
                               Clock clock, MeterRegistry metrics, ServiceSettings settings, RunSolver solver,
                               ReplicaLocks replicas, ChangeWriter audited) {
        this.replicas = replicas;
        this.audited = audited;
        this.executor = new RunExecutor(repository, solver, metrics, clock, settings.optimizationThreads(),
                settings.checkpointSeconds(), live);
        this.maxActiveRuns = settings.maxActiveRuns();
        this.repository = repository;
        this.storedEvents = new StoredRunEvents(repository);
        this.state = state;
        this.weights = weights;
        this.clock = clock;
    }

    @PreDestroy
    void stopAll() {
        executor.shutdown();
    }

    /**
     * Starts a run of {@code {"jobs": <jobs document or array of jobs>, "seconds": n}}: the queue is read against
     * the current state first (bad input is refused, nothing stored), then solved in the background.
     */
    public synchronized OptimizationView submit(JsonNode request) throws InputException {
        RunRequest asked = RunRequest.read(request, state);
        WeightsService.Version w = weights.current();
        // Counted on every replica (the stored SOLVING runs), checked after the input, so bad input is still a 400.
        long active = Math.max(executor.active(), repository.countSolving());
        if (active >= maxActiveRuns) {
            throw new TooManyRunsException(active + " optimization runs are solving or waiting on the service's "
                    + "replicas (at most " + maxActiveRuns + ", gpuplacer.max-active-runs); try again when one has "
                    + "ended", asked.seconds());
        }
        OptimizationRunRecord fresh = new OptimizationRunRecord(UUID.randomUUID().toString(), SOLVING,
                asked.seconds(), asked.problem().jobs().size(), asked.tasks(), w.version(), asked.jobs().toString(),
                null, null, null, clock.instant(), null, replicas.id(), false);
        OptimizationRunRecord record = audited.write(() -> repository.save(fresh), r -> "optimization " + r.id());
        LiveRun run = new LiveRun(record);
        executor.start(record, asked.problem(), w, asked.seconds(), run);
        return OptimizationView.of(record, run.progress);
    }

    /** Stores the ends of runs that finished while the database was away, once it answers. */
    @Scheduled(fixedDelay = "${gpuplacer.checkpoint-seconds:10}s")
    void storeUnstoredEnds() {
        executor.storeUnstoredEnds();
    }

    public OptimizationView get(String id) {
        OptimizationRunRecord unstored = executor.unstoredEnd(id);
        if (unstored != null) {
            return OptimizationView.of(unstored, null);
        }
        OptimizationRunRecord record = repository.findById(id).orElseThrow(() -> unknown(id));
        return OptimizationView.of(record, progressOf(live.get(id)));
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
            run.stop(); // once its row is written: nothing is stopped that the audit does not name
        }
        return OptimizationView.of(record, progressOf(run));
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
                    run.stop();
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
        return repository.findRecent(limit).stream().map(r -> OptimizationView.of(r, progressOf(live.get(r.id())))).toList();
    }

    private static OptimizationView.Progress progressOf(LiveRun run) {
        return run == null ? null : run.progress;
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException(id, "no optimization run with id \"" + id + "\"");
    }
}
