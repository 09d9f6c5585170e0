package io.gpuplacer.service.ledger;

import io.gpuplacer.service.text.Shortened;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.state.ClusterState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Records the first time the service sees a job pending (job_arrival), with the state it arrived to reduced by
 * {@link FirstFitAtArrival}: what a report's savings are measured against. Callers on the hot path (the extender,
 * recommendations) only hand the job over; the first fit is worked out on one background thread, on the documents
 * in force when the job was seen. A job seen again within {@link #SAME_JOB} keeps its first arrival; so does one
 * seen by another replica (the table is checked before writing). A job is marked seen only once its arrival is
 * saved: one whose save failed is tried again at its next sighting.
 */
@Singleton
public class ArrivalRecorder {

    /** A job id seen again after this long is taken to be a new job of the same name. */
    public static final Duration SAME_JOB = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(ArrivalRecorder.class);
    private static final int SEEN = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterState state;
    private final ArrivalStore arrivals;
    private final Clock clock;
    private final Counter dropped;
    private final Map<String, Instant> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > SEEN;
        }
    };
    private final ProblemReader jobs = new ProblemReader();
    // The state the last arrival came to (worker thread only).
    private ClusterState.Documents stateDocuments;
    private Instant stateHour;
    private FirstFitAtArrival.State arrivedTo;
    /** Jobs handed to the worker and not yet settled: seen again meanwhile, they are not queued twice. */
    private final java.util.Set<String> pending = new java.util.HashSet<>();
    // One thread and a bounded queue: a burst of new jobs is worked off in order or, past 10,000, dropped (counted).
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "job-arrivals");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());

    public ArrivalRecorder(ClusterState state, ArrivalStore arrivals, Clock clock, MeterRegistry metrics) {
        this.state = state;
        this.arrivals = arrivals;
        this.clock = clock;
        this.dropped = metrics.counter("gpuplacer.ledger.arrivals.dropped");
    }

    /** A job (interchange job JSON) is pending, as seen by {@code source}; cheap, and never fails the caller. */
    public void arrived(String source, JsonNode job) {
        arrived(source, job == null ? null : job.path("id").asText(null), job);
    }

    /**
     * The same, recorded under {@code id}: the name its rows will have in the ledger once it runs, where that is not
     * the job's own (a Kubernetes pod runs as a task of its controller's or group's job).
     */
    public void arrived(String source, String id, JsonNode job) {
        if (job == null || !job.isObject() || id == null || id.isBlank()) {
            return;
        }
        ClusterState.Documents documents = state.documents();
        if (documents.clusterVersion() <= 0) {
            return; // the bundled example is demo data: its jobs never run in the ledger
        }
        Instant now = clock.instant();
        synchronized (seen) {
            Instant before = seen.get(id);
            if (before != null && before.isAfter(now.minus(SAME_JOB)) || !pending.add(id)) {
                return; // recorded, or on its way
            }
        }
        ObjectNode copy = ((ObjectNode) job).deepCopy().put("id", id);
        if (worker.getQueue().remainingCapacity() == 0) {
            dropped.increment();
            settled(id, null);
            return;
        }
        worker.execute(() -> settled(id, record(source, copy, documents, now) ? now : null));
    }

    /** The job's arrival is recorded (seen at {@code at}), or, null, not: the next sighting tries again. */
    private void settled(String id, Instant at) {
        synchronized (seen) {
            pending.remove(id);
            if (at != null) {
                seen.put(id, at);
            }
        }
    }

    /** Waits until every arrival handed over so far is recorded (tests, and an orderly shutdown). */
    public void drain() {
        CompletableFuture.runAsync(() -> { }, worker).orTimeout(30, TimeUnit.SECONDS).join();
    }

    /**
     * Whether the arrival is settled: recorded now or before, or not one to record (already running, does not
     * read). A failure to save (the database away) is not: the job is not marked seen, and its next sighting (the
     * extender and the gate see a pending job again and again) tries again.
     */
    private boolean record(String source, JsonNode job, ClusterState.Documents documents, Instant now) {
        String id = job.path("id").asText();
        try {
            if (arrivals.arrivedSince(id, now.minus(SAME_JOB))) {
                return true;
            }
            FirstFitAtArrival.State to = stateAt(documents, now.truncatedTo(ChronoUnit.HOURS));
            Problem base = to.base();
            if (base.running().stream().anyMatch(r -> r.job().id().equals(id))) {
                return true; // already running: this is not its arrival
            }
            Job read = jobs.readJob(job, "job", Set.of(), base.now(), base.queues());
            Problem problem = new Problem(base.now(), base.horizonHours(), base.zones(), base.nodes(), List.of(read),
                    base.running(), base.queues(), base.warnings());
            FirstFitAtArrival.Result r = FirstFitAtArrival.of(to, read, now);
            arrivals.record(id, problem.jobs().get(0).team(), source, now, r.earliestStart(), r.latestStart(),
                    problem.jobs().get(0).tasks(), documents.clusterVersion(),
                    r.firstFit() == null ? null : JSON.writeValueAsString(r.firstFit()),
                    JSON.writeValueAsString(r.bound()), demand(problem, r));
            return true;
        } catch (InputException e) {
            LOG.debug("arrival of {} not recorded: the job does not read ({})", Shortened.to(id, 80), e.getMessage());
            return true;
        } catch (Exception e) {
            LOG.warn("arrival of {} not recorded now ({}); tried again when the job is seen again", Shortened.to(id, 80),
                    e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The state jobs arrive to at the hour, read and prepared once per documents and hour rather than once per
     * arrival: at 12,500 nodes that takes tens of milliseconds, and every new job of a busy scheduler arrives.
     * Only the worker thread calls it.
     */
    private FirstFitAtArrival.State stateAt(ClusterState.Documents documents, Instant hour) {
        if (documents != stateDocuments || !hour.equals(stateHour)) {
            arrivedTo = new FirstFitAtArrival.State(state.baseAt(documents, hour));
            stateDocuments = documents;
            stateHour = hour;
        }
        return arrivedTo;
    }

    /** What the job asks for: all its tasks' GPU share, and where its first fit would have put it. */
    private static ArrivalStore.Demand demand(Problem problem, FirstFitAtArrival.Result r) {
        Job job = problem.jobs().get(0);
        String zone = null;
        String model = job.gpuModels().size() == 1 ? job.gpuModels().iterator().next() : null;
        if (r.firstFit() != null && !r.firstFit().isEmpty()) {
            FirstFitAtArrival.Place first = r.firstFit().get(0);
            zone = first.zone();
            model = problem.nodes().stream().filter(n -> n.id().equals(first.node())).map(
                    io.gpuplacer.model.problem.Node::gpuModel).findFirst().orElse(model);
        }
        return new ArrivalStore.Demand(job.gpu().share() * job.tasks(), model, zone);
    }

    /** A caller's id in a log line: no longer than a line should be. */
    @PreDestroy
    void close() throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }
}
