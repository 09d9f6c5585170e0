package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * {@code gpuplacer.signals.*}: how the signal sources ({@code gpuplacer.signals.sources}, one {@link SignalSource}
 * each) are fetched.
 *
 * @param timeout   one request to a provider at most this long (100ms..10m)
 * @param attempts  tries of one request before the fetch fails (1..20)
 * @param backoff   the pause before the second try, doubled for each further one (0s..10m)
 * @param refresh   a fetch cycle this often, on the leader (1m..7d)
 * @param tick      how often the leader checks whether a cycle is due, and followers load what it stored (1s..1h)
 * @param firstTick the first check after the start (0s..1d)
 */
@ConfigurationProperties("gpuplacer.signals")
public record SignalSettings(
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "4")
        @Min(value = 1, message = "gpuplacer.signals.attempts (GPUPLACER_SIGNALS_ATTEMPTS) must be 1..20")
        @Max(value = 20, message = "gpuplacer.signals.attempts (GPUPLACER_SIGNALS_ATTEMPTS) must be 1..20")
        int attempts,
        @Bindable(defaultValue = "1s") Duration backoff,
        @Bindable(defaultValue = "15m") Duration refresh,
        @Bindable(defaultValue = "5s") Duration tick,
        @Bindable(defaultValue = "1s") Duration firstTick) {

    public SignalSettings {
        Durations.within("gpuplacer.signals.timeout", timeout, "100ms", "10m");
        Durations.within("gpuplacer.signals.backoff", backoff, "0s", "10m");
        Durations.within("gpuplacer.signals.refresh", refresh, "1m", "7d");
        Durations.within("gpuplacer.signals.tick", tick, "1s", "1h");
        Durations.within("gpuplacer.signals.first-tick", firstTick, "0s", "1d");
    }
}
