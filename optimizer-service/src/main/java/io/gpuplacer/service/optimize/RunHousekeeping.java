package io.gpuplacer.service.optimize;

import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The stored runs' upkeep, apart from solving them: runs left SOLVING by a replica that died are marked FAILED (at
 * start, then at every leadership poll), and finished runs past the retention are deleted (hourly); both by the
 * leader only, under its epoch.
 */
@Context // fails the runs a stop interrupted before anyone reads them
@Requires(notEnv = Modes.TOOL)
public class RunHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(RunHousekeeping.class);

    private final OptimizationRunRepository repository;
    private final ReplicaLocks replicas;
    private final Clock clock;
    private final Duration retention;

    public RunHousekeeping(OptimizationRunRepository repository, ReplicaLocks replicas, Clock clock,
                           ServiceSettings settings) {
        this.repository = repository;
        this.replicas = replicas;
        this.clock = clock;
        this.retention = Duration.ofDays(settings.runRetentionDays());
    }

    /**
     * Marks FAILED, keeping its last checkpoint, every SOLVING run whose replica no longer runs. This replica's own
     * runs are never among them: its lock is held while it lives.
     */
    @PostConstruct
    void failOrphanedRuns() {
        ReplicaLocks.Leadership lead = replicas.confirm();
        if (lead == null) {
            return; // the leader's, under its epoch
        }
        for (OptimizationRunRecord run : repository.findByStatus(OptimizationService.SOLVING)) {
            if (!replicas.alive(run.owner())) {
                lead.write(() -> repository.update(run.finished(OptimizationService.FAILED, run.score(), run.plan(),
                        "the service solving this run stopped; submit it again", clock.instant())));
                LOG.warn("optimization {} was solving when its service (replica {}) stopped: marked FAILED",
                        run.id(), run.owner());
            }
        }
    }

    @Scheduled(fixedDelay = "${gpuplacer.leader-poll-seconds:5}s", initialDelay = "${gpuplacer.leader-poll-seconds:5}s")
    void failOrphanedRunsOnTheLeader() {
        if (replicas.isLeader()) {
            try {
                failOrphanedRuns();
            } catch (RuntimeException e) {
                // the database is away; the next poll tries again
            }
        }
    }

    /** Deletes finished runs older than {@code gpuplacer.run-retention-days}; returns how many went. */
    @Scheduled(fixedDelay = "1h", initialDelay = "1m")
    public int purgeOldRuns() {
        ReplicaLocks.Leadership lead = replicas.confirm();
        if (lead == null) {
            return 0; // periodic work is the leader's
        }
        int deleted = lead.write(() -> repository.deleteFinishedBefore(clock.instant().minus(retention)));
        if (deleted > 0) {
            LOG.info("deleted {} optimization run(s) that ended more than {} days ago", deleted, retention.toDays());
        }
        return deleted;
    }
}
