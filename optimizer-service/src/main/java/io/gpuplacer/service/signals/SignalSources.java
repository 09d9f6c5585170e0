package io.gpuplacer.service.signals;

import io.gpuplacer.service.config.SettingLists;
import java.util.Map;
import io.gpuplacer.service.config.SignalSource;
import io.gpuplacer.service.config.SignalSettings;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.service.config.Modes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The sources of {@code gpuplacer.signals.sources}, read and made at start (a mistake in them stops the service
 * with a message naming the entry and key), with their freshness as the status and as Prometheus gauges.
 */
@Context // made at start, so that a mistake in the sources stops it
@Requires(notEnv = Modes.TOOL)
public class SignalSources {

    public static final String PROPERTY = SignalSource.LIST;

    private final List<SourceState> states = new ArrayList<>();
    private final Clock clock;
    private final int horizonHours;

    public SignalSources(Clock clock, MeterRegistry metrics, ServiceSettings service, SignalSettings settings,
                         SettingLists lists) {
        this.clock = clock;
        this.horizonHours = service.horizonHours();
        HttpJson http = new HttpJson(settings.timeout(), settings.attempts(), settings.backoff());
        List<Map<String, String>> entries = lists.signalSources().stream().map(SignalSource::settings).toList();
        for (SourceSpec spec : SourceSpec.parseAll(PROPERTY, entries)) {
            SourceState state = new SourceState(spec, SourceFactory.create(spec, http, clock));
            states.add(state);
            Tags tags = Tags.of("zone", spec.target(), "signal", spec.signal().id(), "provider", spec.provider());
            gauge(metrics, "gpuplacer.signal.age.seconds", "seconds since the source last answered (NaN: never)",
                    tags, state, s -> {
                        Long age = status(s).ageSeconds();
                        return age == null ? Double.NaN : age;
                    });
            gauge(metrics, "gpuplacer.signal.horizon.hours.covered", "hours of the horizon the source gave", tags,
                    state, s -> status(s).horizonHoursCovered());
            gauge(metrics, "gpuplacer.signal.estimated.hours", "hours of the horizon in force that are estimated",
                    tags, state, s -> status(s).estimatedHours());
            gauge(metrics, "gpuplacer.signal.failing", "1 when the source's last fetch failed", tags, state,
                    s -> s.lastError() == null ? 0 : 1);
        }
    }

    private static void gauge(MeterRegistry metrics, String name, String description, Tags tags, SourceState state,
                              ToDoubleFunction<SourceState> value) {
        Gauge.builder(name, state, value).description(description).tags(tags).register(metrics);
    }

    public List<SourceState> all() {
        return List.copyOf(states);
    }

    public boolean any() {
        return !states.isEmpty();
    }

    public int horizonHours() {
        return horizonHours;
    }

    public SignalStatusResponse status() {
        return new SignalStatusResponse(states.stream().map(this::status).toList());
    }

    private SignalStatusResponse.Source status(SourceState s) {
        Instant now = clock.instant();
        FilledSeries series = s.series(now.truncatedTo(ChronoUnit.HOURS), horizonHours);
        Instant success = s.lastSuccess();
        SourceSpec spec = s.spec();
        return new SignalStatusResponse.Source(spec.target(), spec.signal().id(), spec.provider(), success,
                success == null ? null : Math.max(0, Duration.between(success, now).toSeconds()), series.covered(),
                series.estimated(), s.lastAttempt(), s.lastError());
    }
}
