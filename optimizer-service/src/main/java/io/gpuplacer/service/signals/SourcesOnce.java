package io.gpuplacer.service.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asks each source once for the day before {@code now} and the horizon, and writes what they gave over a signals
 * document as the service does (filled and marked estimated where a source ends); for the command line.
 */
public final class SourcesOnce {

    /** The document, and a line per source saying what it gave. */
    public record Result(ObjectNode signals, List<String> report) {
    }

    private SourcesOnce() {
    }

    public static Result fetch(List<SourceSpec> specs, HttpJson http, Clock clock, Instant now, int horizon,
                               JsonNode base) {
        List<SourceState> states = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (SourceSpec spec : specs) {
            SourceState state = new SourceState(spec, SourceFactory.create(spec, http, clock));
            try {
                List<SignalPoint> points = state.source().fetch(now.minus(24, ChronoUnit.HOURS), 24 + horizon);
                state.succeeded(clock.instant(), points, now.minus(24, ChronoUnit.HOURS));
                FilledSeries series = state.series(now, horizon);
                report.add(String.format(Locale.ROOT, "%s %s %s: %d hours; %d of the %d-hour horizon given, %d "
                                + "estimated", spec.target(), spec.signal().id(), spec.provider(), points.size(),
                        series.covered(), horizon, series.estimated()));
            } catch (SourceException e) {
                report.add(spec.target() + " " + spec.signal().id() + " " + spec.provider() + ": failed ("
                        + e.kind().name().toLowerCase(Locale.ROOT) + "): " + e.getMessage());
            }
            states.add(state);
        }
        return new Result(SignalsComposer.compose(base, states, now, horizon), report);
    }
}
