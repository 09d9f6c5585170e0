package io.gpuplacer.service.slurm;

import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} details of the Slurm connection: whether slurmrestd answered the last read, the last snapshot and
 * since when reads fail. Always UP: the service still answers from the last snapshot, and a restart would not bring
 * slurmrestd back.
 */
@Singleton
@Requires(beans = SlurmSnapshots.class)
@Requires(notEnv = Modes.TOOL)
public class SlurmHealthIndicator implements HealthIndicator {

    private final SlurmSnapshots snapshots;

    public SlurmHealthIndicator(SlurmSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        SlurmSnapshots.Status s = snapshots.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", s.url());
        details.put("reachable", s.reachable());
        details.put("lastSnapshotAt", s.lastSnapshotAt() == null ? null : s.lastSnapshotAt().toString());
        details.put("nodes", s.nodes());
        details.put("runningTasks", s.runningTasks());
        details.put("skipped", s.skipped());
        if (!s.reachable()) {
            details.put("failingSince", s.failingSince() == null ? null : s.failingSince().toString());
            details.put("error", s.error());
        }
        details.put("tokenExpiresAt", s.tokenExpiresAt() == null ? null : s.tokenExpiresAt().toString());
        return Mono.just(HealthResult.builder("slurm", HealthStatus.UP).details(details).build());
    }
}
