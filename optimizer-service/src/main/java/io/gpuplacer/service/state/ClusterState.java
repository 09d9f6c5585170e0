package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.audit.AuditedChange;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.persistence.StateVersionRecord;
import io.gpuplacer.service.weights.WeightsService;
import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Inject;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The cluster snapshot and signals the service works on: replaced whole by PUT (validated first, stored in the
 * database, then swapped in), read by recommendations and optimization runs. Until the first PUT the bundled
 * example is served, its times moved by whole days so that its signals start today. Running work ages with the
 * clock: each hour's view counts remaining hours from that hour ({@link RunningAge}).
 *
 * <p>Two locks: {@code writeLock} orders replacements (each with its database write), the {@link ViewCache}'s guards
 * the rebuild of the oracle's view, so a rebuild (once an hour, or after a weights change) never waits for a
 * database write, nor a write for a rebuild. A scheduled refresh rebuilds the view when the hour turns, off the
 * request threads.
 */
@Context // loaded and indexed at startup, not by the first request
@Requires(notEnv = Modes.TOOL)
public class ClusterState {

    public static final String CLUSTER = "cluster";
    public static final String SIGNALS = "signals";
    private static final String SIGNAL_SOURCES = "gpuplacer.signals.sources";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterState.class);

    /**
     * The two documents, where they came from, their stored versions (0: not stored, the example or empty) and a
     * counter of replacements; replaced, never changed.
     */
    public record Documents(JsonNode cluster, JsonNode signals, String clusterSource, String signalsSource,
                            Instant clusterUpdatedAt, Instant signalsUpdatedAt, long version, long clusterVersion,
                            long signalsVersion) {
    }

    private final StateStore store;
    private final WeightsService weights;
    private final Clock clock;
    private final int horizonHours;
    private final boolean loadExample;
    private final boolean mergeSignalPuts;
    private final LedgerRecording recording;
    private final AuditedChange audited;
    private final StateReader reader;
    private final Object writeLock = new Object();
    private final ViewCache views;
    private volatile Documents documents;
    /** The newest stored version this replica has loaded or written (any kind). */


    /** Without the emission ledger (tests of the state alone). */
    public ClusterState(StateStore store, WeightsService weights, Clock clock, ServiceSettings settings) {
        this(store, weights, clock, settings, false, null, AuditedChange.NONE);
    }

    /**
     * With signal sources configured, a PUT of signals replaces the zones it names and keeps the fetched rest; each
     * cluster snapshot PUT is recorded in the emission ledger with the rows of the interval before it.
     */
    @Inject
    public ClusterState(StateStore store, WeightsService weights, Clock clock, ServiceSettings settings,
                        Environment environment, IntervalAccounting ledger, AuditedChange audited) {
        this(store, weights, clock, settings, environment.getProperty(SIGNAL_SOURCES, List.class)
                .map(list -> !list.isEmpty()).orElse(false), ledger, audited);
    }

    ClusterState(StateStore store, WeightsService weights, Clock clock, ServiceSettings settings,
                 boolean mergeSignalPuts, IntervalAccounting ledger, AuditedChange audited) {
        this.store = store;
        this.weights = weights;
        this.clock = clock;
        this.horizonHours = settings.horizonHours();
        this.reader = new StateReader(horizonHours);
        this.views = new ViewCache(weights);
        this.loadExample = settings.loadExample();
        this.mergeSignalPuts = mergeSignalPuts;
        this.audited = audited;
        this.recording = ledger == null ? null : new LedgerRecording(store, ledger, audited);
    }

    @PostConstruct
    void load() {
        documents = loaded(0);
        LOG.info("cluster: {}, signals: {}", documents.clusterSource(), documents.signalsSource());
        view();
    }

    /** The documents in force in the database (the example or empty where there are none). */
    private Documents loaded(long counter) {
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        StateVersionRecord clusterRecord = store.inForce(CLUSTER).orElse(null);
        StateVersionRecord signalsRecord = store.inForce(SIGNALS).orElse(null);
        JsonNode cluster = parsed(clusterRecord);
        JsonNode signals = parsed(signalsRecord);
        String clusterSource = cluster != null ? "database" : loadExample ? "bundled example" : "empty";
        String signalsSource = signals != null ? "database" : loadExample ? "bundled example" : "empty";
        if (cluster == null) {
            cluster = loadExample ? BundledExample.document("example/cluster.json", today) : BundledExample.emptyCluster();
        }
        if (signals == null) {
            signals = loadExample ? BundledExample.document("example/signals.json", today)
                    : BundledExample.emptySignals();
        }
        // A stored snapshot was observed when it was stored: its running work has aged since.
        return new Documents(cluster, signals, clusterSource, signalsSource,
                clusterRecord != null ? ObservedAt.stored(cluster, clusterRecord.createdAt())
                        .truncatedTo(ChronoUnit.SECONDS) : clock.instant(),
                signalsRecord != null ? signalsRecord.createdAt() : clock.instant(), counter,
                clusterRecord != null ? clusterRecord.id() : 0, signalsRecord != null ? signalsRecord.id() : 0);
    }

    /**
     * Picks up a cluster or signals stored by another replica (or restored) since this one last looked: two cheap
     * queries every {@code gpuplacer.sync-seconds}, the newest version of each kind compared with the one in memory;
     * while the database is away the state in memory stays in force. Per kind, not the newest id of the table: a
     * cluster insert still committing when a later signals insert committed would be skipped for good.
     */
    @Scheduled(fixedDelay = "${gpuplacer.sync-seconds:2}s", initialDelay = "${gpuplacer.sync-seconds:2}s")
    void syncFromDatabase() {
        long newestCluster;
        long newestSignals;
        try {
            newestCluster = store.newestId(CLUSTER);
            newestSignals = store.newestId(SIGNALS);
        } catch (RuntimeException e) {
            return; // the database is away: keep serving what is in memory (the health check reports it)
        }
        Documents held = documents;
        if (newestCluster == held.clusterVersion() && newestSignals == held.signalsVersion()) {
            return;
        }
        synchronized (writeLock) {
            Documents current = documents;
            Documents stored = loaded(current.version() + 1);
            if (stored.clusterVersion() == current.clusterVersion() && stored.signalsVersion() == current.signalsVersion()) {
                return;
            }
            Instant hour = currentHour();
            Problem base;
            try {
                base = reader.base(stored.cluster(), stored.signals(), hour, stored.clusterUpdatedAt());
            } catch (InputException e) {
                LOG.warn("a stored state does not read here ({}); keeping the state in memory", e.getMessage());
                return;
            }
            views.publish(() -> documents = stored, base, hour);
            LOG.info("state changed elsewhere: cluster version {}, signals version {}", stored.clusterVersion(),
                    stored.signalsVersion());
        }
    }

    public Documents documents() {
        return documents;
    }

    /** Validates and stores a new cluster snapshot; the signals stay (those of zones it lacks are ignored). */
    public Documents replaceCluster(JsonNode cluster, String actor) throws InputException {
        return replaceCluster(cluster, actor, null);
    }

    /** The same, for a restored version ({@code restoredFrom}, null for a new document). */
    public Documents replaceCluster(JsonNode cluster, String actor, Long restoredFrom) throws InputException {
        synchronized (writeLock) {
            Instant received = clock.instant();
            // Whole seconds: what every supported driver stores (MySQL's Connector/J drops the fraction on MariaDB
            // 10.x), so the ledger's intervals chain exactly, one snapshot's end the next one's start.
            Instant observed = (restoredFrom != null ? received : ObservedAt.of(cluster, received))
                    .truncatedTo(ChronoUnit.SECONDS);
            Instant hour = currentHour();
            Problem base = reader.base(cluster, documents.signals(), hour, observed);
            long stored = storeCluster(cluster, actor, received, observed, restoredFrom);
            return views.publish(() -> {
                Documents current = documents;
                return documents = new Documents(cluster, current.signals(), source(actor, restoredFrom),
                        current.signalsSource(), observed, current.signalsUpdatedAt(), current.version() + 1, stored,
                        current.signalsVersion());
            }, base, hour);
        }
    }

    /** Validates (against the current cluster's zones) and stores new signals. */
    public Documents replaceSignals(JsonNode signals, String actor) throws InputException {
        return replaceSignals(signals, actor, null);
    }

    /**
     * The same, for a restored version ({@code restoredFrom}, null for a new document). With signal sources
     * configured, a new document replaces the zones (and spot pools) it names and keeps the rest in force, until
     * the next fetch; a restored one replaces all.
     */
    public Documents replaceSignals(JsonNode signals, String actor, Long restoredFrom) throws InputException {
        synchronized (writeLock) {
            Documents before = documents;
            Instant hour = currentHour();
            Problem base = reader.withSignalsAsGiven(before.cluster(), signals, hour, before.clusterUpdatedAt());
            JsonNode next = signals;
            if (mergeSignalPuts && restoredFrom == null) {
                next = SignalsDocuments.merged(before.signals(), signals);
                base = reader.base(before.cluster(), next, hour, before.clusterUpdatedAt());
            }
            return storeSignals(next, base, hour, actor, source(actor, restoredFrom), restoredFrom);
        }
    }

    /** Puts signals fetched from the configured sources in force; zones the cluster lacks are kept but not read. */
    public Documents replaceFetchedSignals(JsonNode signals, String actor) throws InputException {
        synchronized (writeLock) {
            Documents before = documents;
            Instant hour = currentHour();
            Problem base = reader.base(before.cluster(), signals, hour, before.clusterUpdatedAt());
            return storeSignals(signals, base, hour, actor, "fetched from the signal sources", null);
        }
    }

    private Documents storeSignals(JsonNode signals, Problem base, Instant hour, String actor, String source,
                                   Long restoredFrom) {
        Instant stored = clock.instant();
        long version = store(SIGNALS, signals, actor, stored, restoredFrom);
        return views.publish(() -> {
            Documents current = documents;
            return documents = new Documents(current.cluster(), signals, current.clusterSource(), source,
                    current.clusterUpdatedAt(), stored, current.version() + 1, current.clusterVersion(), version);
        }, base, hour);
    }

    /**
     * The problem of a job queue on the current state: {@code jobs} is a jobs document (with its own {@code now})
     * or a bare array of jobs (then {@code now} is the current hour).
     */
    public Problem problemWith(JsonNode jobs) throws InputException {
        return problemAt(documents, currentHour(), jobs);
    }

    /** {@link #problemWith} on documents that were in force at {@code hour} (captured then, read later). */
    public Problem problemAt(Documents at, Instant hour, JsonNode jobs) throws InputException {
        JsonNode queue = jobs;
        if (jobs != null && jobs.isArray()) {
            ObjectNode doc = reader.emptyQueue(hour);
            doc.set("jobs", jobs);
            queue = doc;
        }
        return reader.withQueue(at.cluster(), queue, at.signals(), at.clusterUpdatedAt());
    }

    /**
     * The oracle's view of the current state, weights and hour; rebuilt when any of them changed (when only the
     * weights did, from the problem already read).
     */
    public OracleView view() {
        return views.view(() -> documents, this::currentHour, this::readBase);
    }

    /** Builds the view of a new hour (or new weights) ahead of the requests that would otherwise wait for it. */
    @Scheduled(fixedDelay = "${gpuplacer.view-refresh:20s}", initialDelay = "${gpuplacer.view-refresh:20s}")
    void refreshView() {
        view();
    }

    private Problem readBase(Documents docs, Instant now) {
        try {
            return reader.base(docs.cluster(), docs.signals(), now, docs.clusterUpdatedAt());
        } catch (InputException e) {
            // Stored documents were valid when they came in; only a change of the hour reaches here.
            throw new IllegalStateException("the stored state no longer reads: " + e.getMessage(), e);
        }
    }

    public Instant currentHour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }

    public int horizonHours() {
        return horizonHours;
    }

    /**
     * Lays telemetry over the cluster for the model from now on (null: none); the view is rebuilt on the next
     * request (or the scheduled refresh), from the documents in force.
     */
    public void overlay(UnaryOperator<JsonNode> overlay) {
        synchronized (writeLock) {
            reader.overlay(overlay);
            Documents d = documents;
            documents = new Documents(d.cluster(), d.signals(), d.clusterSource(), d.signalsSource(),
                    d.clusterUpdatedAt(), d.signalsUpdatedAt(), d.version() + 1, d.clusterVersion(),
                    d.signalsVersion());
        }
    }

    /** Stores a snapshot, recorded in the ledger with the interval before it when the service keeps one. */
    private long storeCluster(JsonNode cluster, String actor, Instant received, Instant observed, Long restoredFrom) {
        if (recording == null) {
            return store(CLUSTER, cluster, actor, received, restoredFrom);
        }
        return recording.store(cluster, actor, received, observed, restoredFrom, documents);
    }

    /** Stores a version; the documents in force then carry its id, so the next sync finds nothing new of its kind. */
    private long store(String kind, JsonNode body, String actor, Instant at, Long restoredFrom) {
        return audited.write(() -> store.store(kind, body.toString(), actor, at, restoredFrom).id(),
                id -> kind + " version " + id);
    }

    private static String source(String actor, Long restoredFrom) {
        return restoredFrom == null ? "PUT by " + actor : "version " + restoredFrom + " restored by " + actor;
    }

    static JsonNode parsed(StateVersionRecord record) {
        if (record == null) {
            return null;
        }
        try {
            return ProblemReader.parse(record.text(), record.kind());
        } catch (InputException e) {
            throw new IllegalStateException("stored " + record.kind() + " is not JSON: " + e.getMessage(), e);
        }
    }

}
