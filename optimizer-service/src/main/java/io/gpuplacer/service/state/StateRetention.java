package io.gpuplacer.service.state;

import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.persistence.SignalStore;
import io.gpuplacer.service.persistence.StateVersionRepository;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes cluster and signals versions, and signal source fetches with their points, older than
 * {@code gpuplacer.state-retention-days}, hourly, on the leader; the version in force of each kind always stays.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class StateRetention {

    private static final Logger LOG = LoggerFactory.getLogger(StateRetention.class);

    private final StateVersionRepository versions;
    private final SignalStore fetches;
    private final ReplicaLocks replicas;
    private final Clock clock;
    private final Duration retention;

    public StateRetention(StateVersionRepository versions, SignalStore fetches, ReplicaLocks replicas, Clock clock,
                          ServiceSettings settings) {
        this.versions = versions;
        this.fetches = fetches;
        this.replicas = replicas;
        this.clock = clock;
        this.retention = Duration.ofDays(settings.stateRetentionDays());
    }

    /** Returns how many versions went. */
    @Scheduled(fixedDelay = "1h", initialDelay = "2m")
    public int purge() {
        ReplicaLocks.Leadership lead = replicas.confirm();
        if (lead == null) {
            return 0;
        }
        int deleted = lead.write(() -> versions.deleteOlderThan(clock.instant().minus(retention)));
        if (deleted > 0) {
            LOG.info("deleted {} cluster/signals version(s) older than {} days", deleted, retention.toDays());
        }
        int fetched = lead.write(() -> fetches.deleteOlderThan(clock.instant().minus(retention)));
        if (fetched > 0) {
            LOG.info("deleted {} signal source fetch(es) older than {} days", fetched, retention.toDays());
        }
        return deleted;
    }
}
