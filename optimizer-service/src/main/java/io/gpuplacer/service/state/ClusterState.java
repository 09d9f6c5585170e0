package io.gpuplacer.service.state;

import io.gpuplacer.service.config.SettingLists;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.persistence.ChangeWriter;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private static final Logger LOG = LoggerFactory.getLogger(ClusterState.class);

    /**
     * The two documents, where they came from, their stored versions (0: not stored, the example or empty) and a
     * counter of replacements; replaced, never changed.
     */
    public record Documents(JsonNode cluster, JsonNode signals, String clusterSource, String signalsSource,
                            Instant clusterUpdatedAt, Instant signalsUpdatedAt, long version, long clusterVersion,
                            long signalsVersion) {

        /** The same documents under another replacement counter. */
        Documents counted(long counter) {
            return new Documents(cluster, signals, clusterSource, signalsSource, clusterUpdatedAt, signalsUpdatedAt,
                    counter, clusterVersion, signalsVersion);
        }
    }

    private final StoredDocuments stored;
    private final VersionWriter writer;
    private final Clock clock;
    private final int horizonHours;
    private final boolean mergeSignalPuts;
    private final StateReader reader;
    private final Object writeLock = new Object();
    private final ViewCache views;
    private volatile Documents documents;

    /**
     * With signal sources configured, a PUT of signals replaces the zones it names and keeps the fetched rest; each
     * cluster snapshot PUT is recorded in the emission ledger with the rows of the interval before it.
     */
    @Inject
    public ClusterState(StateStore store, WeightsInForce weights, Clock clock, ServiceSettings settings,
                        SettingLists lists, IntervalAccounting ledger, ChangeWriter audited) {
        this(store, weights, clock, settings, !lists.signalSources().isEmpty(), ledger, audited);
    }

    /** {@code mergeSignalPuts} as above; without the ledger ({@code null}) the snapshots are only stored. */
    ClusterState(StateStore store, WeightsInForce weights, Clock clock, ServiceSettings settings,
                 boolean mergeSignalPuts, IntervalAccounting ledger, ChangeWriter audited) {
        this.stored = new StoredDocuments(store, clock, settings.loadExample());
        this.writer = new VersionWriter(store, ledger, audited);
        this.clock = clock;
        this.horizonHours = settings.horizonHours();
        this.reader = new StateReader(horizonHours);
        this.views = new ViewCache(weights);
        this.mergeSignalPuts = mergeSignalPuts;
    }

    @PostConstruct
    void load() {
        documents = stored.load(0);
        LOG.info("cluster: {}, signals: {}", documents.clusterSource(), documents.signalsSource());
        view();
    }

    /** Puts in force what another replica stored since this one last looked ({@link StateSync}). */
    void syncFromDatabase() {
        long[] newest;
        try {
            newest = stored.newestIds();
        } catch (RuntimeException e) {
            return; // the database is away: keep serving what is in memory (the health check reports it)
        }
        Documents held = documents;
        if (newest[0] == held.clusterVersion() && newest[1] == held.signalsVersion()) {
            return;
        }
        synchronized (writeLock) {
            Documents current = documents;
            Documents next = stored.load(current.version() + 1);
            if (next.clusterVersion() == current.clusterVersion() && next.signalsVersion() == current.signalsVersion()) {
                return;
            }
            Instant hour = currentHour();
            Problem base;
            try {
                base = reader.base(next.cluster(), next.signals(), hour, next.clusterUpdatedAt());
            } catch (InputException e) {
                LOG.warn("a stored state does not read here ({}); keeping the state in memory", e.getMessage());
                return;
            }
            views.publish(() -> documents = next, base, hour);
            LOG.info("state changed elsewhere: cluster version {}, signals version {}", next.clusterVersion(),
                    next.signalsVersion());
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
            long stored = writer.cluster(cluster, actor, received, observed, restoredFrom, documents);
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
        long version = writer.store(SIGNALS, signals, actor, stored, restoredFrom);
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
        return reader.withJobs(at, hour, jobs);
    }

    /**
     * The documents' problem at {@code hour} with an empty queue (documents in force then, read now; they were
     * valid when they came in).
     */
    public Problem baseAt(Documents at, Instant hour) {
        return reader.base(at, hour);
    }

    /**
     * The oracle's view of the current state, weights and hour; rebuilt when any of them changed (when only the
     * weights did, from the problem already read).
     */
    public OracleView view() {
        return views.view(() -> documents, this::currentHour, reader::base);
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
            documents = d.counted(d.version() + 1);
        }
    }

    private static String source(String actor, Long restoredFrom) {
        return restoredFrom == null ? "PUT by " + actor : "version " + restoredFrom + " restored by " + actor;
    }
}
