package io.gpuplacer.service.signals;

import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * What the service knows of one configured source: the hours it gave (newer fetches replace the hours they
 * bring; older than two days are dropped), when it last answered and why it last failed. A configuration error
 * (a 401, a missing token) parks the source: it is reported once and not asked again until the service restarts.
 */
public final class SourceState {

    private final SourceSpec spec;
    private final SignalSource source;
    private final TreeMap<Instant, SignalPoint> known = new TreeMap<>();
    private Instant lastSuccess;
    private Instant lastAttempt;
    private String lastError;
    private boolean parked;

    public SourceState(SourceSpec spec, SignalSource source) {
        this.spec = spec;
        this.source = source;
    }

    public SourceSpec spec() {
        return spec;
    }

    public SignalSource source() {
        return source;
    }

    public synchronized boolean parked() {
        return parked;
    }

    /** Takes a successful fetch: its hours replace those known, hours before {@code keepFrom} are dropped. */
    public synchronized void succeeded(Instant at, List<SignalPoint> points, Instant keepFrom) {
        points.forEach(p -> known.put(p.hour(), p));
        known.headMap(keepFrom).clear();
        lastSuccess = at;
        lastAttempt = at;
        lastError = null;
    }

    /** Takes a failed fetch; the hours known stay in force (filled where they end). */
    public synchronized void failed(Instant at, SourceException e) {
        lastAttempt = at;
        parked = e.kind() == SourceException.Kind.CONFIGURATION;
        lastError = e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage()
                + (parked ? " (not asked again until the service restarts)" : "");
    }

    /** Replaces what is known by what another replica (or an earlier run) stored. */
    public synchronized void loaded(Instant success, Instant attempt, String error, List<SignalPoint> points) {
        known.clear();
        points.forEach(p -> known.put(p.hour(), p));
        lastSuccess = success;
        lastAttempt = attempt;
        lastError = error;
    }

    public synchronized FilledSeries series(Instant from, int hours) {
        return FilledSeries.fill(new TreeMap<>(known), from, hours);
    }

    public synchronized Instant lastSuccess() {
        return lastSuccess;
    }

    public synchronized Instant lastAttempt() {
        return lastAttempt;
    }

    public synchronized String lastError() {
        return lastError;
    }
}
