package io.gpuplacer.service.kueue;

import io.gpuplacer.service.signals.SignalSources;
import io.gpuplacer.service.signals.SourceSpec;
import io.gpuplacer.service.signals.SourceState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the signals a carbon-window decision rests on are fresh: every configured carbon and price source
 * answered within {@code staleAfter} (a source parked by a configuration error never is). Without sources the signals
 * are those declared with the cluster state, and fresh as far as the service can tell.
 */
public final class SignalFreshness {

    private final SignalSources sources;
    private final Clock clock;
    private final Duration staleAfter;

    public SignalFreshness(SignalSources sources, Clock clock, Duration staleAfter) {
        this.sources = sources;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    /** Why the signals are not fresh, or null when they are. */
    public String staleReason() {
        Instant limit = clock.instant().minus(staleAfter);
        for (SourceState s : sources.all()) {
            SourceSpec spec = s.spec();
            if (spec.signal() == SourceSpec.Signal.SPOT) {
                continue; // spot risk does not move the hour
            }
            Instant last = s.lastSuccess();
            if (s.parked() || last == null || last.isBefore(limit)) {
                return String.format(java.util.Locale.ROOT, "the %s signal of %s (%s) %s", spec.signal().name()
                        .toLowerCase(java.util.Locale.ROOT), spec.target(), spec.provider(), last == null
                        ? "has not answered yet" : "last answered at " + last + ", more than " + staleAfter.toMinutes()
                        + " min ago (gpuplacer.kubernetes.kueue.signals-stale-after)");
            }
        }
        return null;
    }
}
