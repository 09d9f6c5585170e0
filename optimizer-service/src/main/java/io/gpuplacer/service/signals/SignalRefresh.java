package io.gpuplacer.service.signals;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.config.SignalSettings;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.persistence.SignalFetchRecord;
import io.gpuplacer.service.persistence.SignalPointRecord;
import io.gpuplacer.service.persistence.SignalStore;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the signals fresh: the leader asks every source at start and then every {@code gpuplacer.signals.refresh}
 * for the day before and the horizon ahead, stores each fetch with its points, and puts the series in force
 * (filled where a source has no value, and marked estimated there); the other replicas read the fetches it stored
 * and take the signals through the usual state sync. A failing source leaves what it gave before in force.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class SignalRefresh {

    public static final String AUTHOR = "signal-sources";
    private static final Logger LOG = LoggerFactory.getLogger(SignalRefresh.class);
    /** Fetched hours are kept this long before the current hour: the fill repeats the day before. */
    private static final Duration HISTORY = Duration.ofHours(48);

    private final SignalSources sources;
    private final SignalStore store;
    private final ClusterState state;
    private final ReplicaLocks replicas;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Duration refresh;
    private Instant lastCycle;
    private long seenFetch = -1;
    /** A cycle's series could not be put in force (the database was away): tried again each tick, not refetched. */
    private boolean publishPending;

    public SignalRefresh(SignalSources sources, SignalStore store, ClusterState state, ReplicaLocks replicas,
                         Clock clock, MeterRegistry metrics, SignalSettings settings) {
        this.sources = sources;
        this.store = store;
        this.state = state;
        this.replicas = replicas;
        this.clock = clock;
        this.metrics = metrics;
        this.refresh = settings.refresh();
    }

    /** Every few seconds: on the leader, a fetch cycle when one is due; elsewhere, the fetches stored since. */
    @Scheduled(fixedDelay = "${gpuplacer.signals.tick:5s}", initialDelay = "${gpuplacer.signals.first-tick:1s}")
    public synchronized void tick() {
        if (!sources.any()) {
            return;
        }
        try {
            if (seenFetch < 0) {
                load(); // what earlier runs fetched, so that a first failure still has data to fill from
            }
            Instant now = clock.instant();
            if (replicas.isLeader()) {
                if ((lastCycle == null || !now.isBefore(lastCycle.plus(refresh))) && replicas.confirm() != null) {
                    lastCycle = now;
                    cycle(now);
                } else if (publishPending) {
                    publishPending = false;
                    publish(now.truncatedTo(ChronoUnit.HOURS));
                }
            } else if (store.newestId() > seenFetch) {
                load();
            }
        } catch (RuntimeException e) {
            // The database is away: the sources' data stays in memory; the next tick tries again.
            LOG.warn("signal refresh could not finish: {}", e.getClass().getSimpleName());
        }
    }

    /** Asks every source that is not parked, then puts the series in force. */
    public synchronized void cycle(Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        int horizon = sources.horizonHours();
        for (SourceState s : sources.all()) {
            if (!s.parked()) {
                fetch(s, hour, 24 + horizon);
            }
        }
        publish(hour);
    }

    /** Asks for the day before {@code hour} and {@code hours} - 24 ahead of it. */
    private void fetch(SourceState s, Instant hour, int hours) {
        SourceSpec spec = s.spec();
        Instant started = clock.instant();
        try {
            List<SignalPoint> points = s.source().fetch(hour.minus(24, ChronoUnit.HOURS), hours);
            Instant at = clock.instant();
            s.succeeded(at, points, hour.minus(HISTORY));
            count(spec, "ok");
            persist(new SignalFetchRecord(null, spec.target(), spec.signal().id(), spec.provider(), started, at, true,
                    points.size(), null, null), points.stream().map(p -> new SignalPointRecord(null, 0, p.hour(),
                    p.value(), p.estimated(), p.emissionFactorType(), p.estimationMethod())).toList());
        } catch (SourceException e) {
            s.failed(clock.instant(), e);
            count(spec, e.kind().name().toLowerCase(Locale.ROOT));
            if (e.kind() == SourceException.Kind.CONFIGURATION) {
                LOG.error("signal source {} ({}): {}; it is not asked again until the service restarts",
                        spec.where(), spec.key(), e.getMessage());
            } else {
                LOG.warn("signal source {} ({}) failed: {}; its earlier data stays in force", spec.where(),
                        spec.key(), e.getMessage());
            }
            persist(new SignalFetchRecord(null, spec.target(), spec.signal().id(), spec.provider(), started,
                    clock.instant(), false, 0, e.kind().name(), Shortened.to(e.getMessage(), 1000)), List.of());
        }
    }

    /** Stores a fetch; while the database is away it is only in memory (and in force), and the log says so. */
    private void persist(SignalFetchRecord fetch, List<SignalPointRecord> points) {
        try {
            seenFetch = Math.max(seenFetch, store.record(fetch, points).id());
        } catch (RuntimeException e) {
            LOG.warn("fetch of {}/{}/{} not stored ({}): it is in force here but not recorded", fetch.zone(),
                    fetch.signalKind(), fetch.provider(), e.getClass().getSimpleName());
        }
    }

    /** Puts the sources' series in force over the signals in force, when they differ. */
    private void publish(Instant hour) {
        var current = state.documents().signals();
        // From the day before (the emission ledger prices the hours just past with what was measured then) to a
        // day past the horizon (the hours a late refresh leaves are filled and marked, not held).
        var next = SignalsComposer.compose(current, sources.all(), hour.minus(24, ChronoUnit.HOURS),
                24 + sources.horizonHours() + 24);
        if (next.equals(current)) {
            return;
        }
        try {
            state.replaceFetchedSignals(next, AUTHOR);
        } catch (InputException e) {
            LOG.error("the fetched signals do not read ({}); the signals in force stay", e.getMessage());
        } catch (RuntimeException e) {
            // The database is away: what the sources gave stays in memory and goes in force on a later tick.
            publishPending = true;
            LOG.warn("fetched signals not stored ({}); put in force once the database answers",
                    e.getClass().getSimpleName());
        }
    }

    /** Takes each source's newest stored fetch (and its points) as what it knows. */
    private void load() {
        long newest = store.newestId();
        for (SourceState s : sources.all()) {
            SourceSpec spec = s.spec();
            var latest = store.latest(spec.target(), spec.signal().id(), spec.provider()).orElse(null);
            if (latest == null) {
                continue;
            }
            var success = latest.ok() ? latest
                    : store.latestSuccess(spec.target(), spec.signal().id(), spec.provider()).orElse(null);
            List<SignalPoint> points = success == null ? List.of() : store.pointsOf(success.id()).stream()
                    .map(p -> new SignalPoint(p.startsAt(), p.reading(), p.estimated(), p.emissionFactorType(),
                            p.estimationMethod())).toList();
            s.loaded(success == null ? null : success.retrievedAt(), latest.retrievedAt(), latest.ok() ? null
                    : latest.errorKind().toLowerCase(Locale.ROOT) + ": " + latest.error(), points);
        }
        seenFetch = newest;
    }

    private void count(SourceSpec spec, String outcome) {
        metrics.counter("gpuplacer.signal.fetches", "zone", spec.target(), "signal", spec.signal().id(), "provider",
                spec.provider(), "outcome", outcome).increment();
    }
}
