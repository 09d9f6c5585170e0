package io.gpuplacer.service.replica;

import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Map;

/** {@code /health} details: which replica this is and whether it leads (always UP: a follower is healthy too). */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class LeaderHealthIndicator implements HealthIndicator {

    private final ReplicaLocks replicas;

    public LeaderHealthIndicator(ReplicaLocks replicas) {
        this.replicas = replicas;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.just(HealthResult.builder("replica", HealthStatus.UP)
                .details(Map.of("id", replicas.id(), "leader", replicas.isLeader(), "epoch", replicas.epoch())).build());
    }
}
