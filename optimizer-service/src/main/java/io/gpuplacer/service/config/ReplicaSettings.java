package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * How the replicas share the work ({@code gpuplacer.*}).
 *
 * @param leaderPollSeconds  how often each replica checks, and the leader renews, leadership (1..3600)
 * @param leaderLeaseSeconds a leader whose session is idle this long loses the lock (2..3600)
 * @param syncSeconds        how often a replica loads what another stored (state, weights, tokens, cancels; 1..3600)
 * @param viewRefresh        how often the oracle's view is rebuilt ahead of requests when the hour turned (1s..1h)
 */
@ConfigurationProperties("gpuplacer")
public record ReplicaSettings(
        @Bindable(defaultValue = "5")
        @Min(value = 1, message = "gpuplacer.leader-poll-seconds (GPUPLACER_LEADER_POLL_SECONDS) must be 1..3600")
        @Max(value = 3600, message = "gpuplacer.leader-poll-seconds (GPUPLACER_LEADER_POLL_SECONDS) must be 1..3600")
        int leaderPollSeconds,
        @Bindable(defaultValue = "30")
        @Min(value = 2, message = "gpuplacer.leader-lease-seconds (GPUPLACER_LEADER_LEASE_SECONDS) must be 2..3600")
        @Max(value = 3600, message = "gpuplacer.leader-lease-seconds (GPUPLACER_LEADER_LEASE_SECONDS) must be 2..3600")
        int leaderLeaseSeconds,
        @Bindable(defaultValue = "2")
        @Min(value = 1, message = "gpuplacer.sync-seconds (GPUPLACER_SYNC_SECONDS) must be 1..3600")
        @Max(value = 3600, message = "gpuplacer.sync-seconds (GPUPLACER_SYNC_SECONDS) must be 1..3600")
        int syncSeconds,
        @Bindable(defaultValue = "20s") Duration viewRefresh) {

    public ReplicaSettings {
        Durations.within("gpuplacer.view-refresh", viewRefresh, "1s", "1h");
    }
}
