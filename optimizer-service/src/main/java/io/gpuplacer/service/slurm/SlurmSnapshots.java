package io.gpuplacer.service.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.connectors.slurm.SlurmMapping;
import io.gpuplacer.connectors.slurm.SlurmRest;
import io.gpuplacer.connectors.slurm.SlurmSnapshot;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.config.NodeType;
import io.gpuplacer.service.config.SettingLists;
import io.gpuplacer.service.config.SlurmGpuType;
import io.gpuplacer.service.config.SlurmSettings;
import io.gpuplacer.connectors.slurm.v0038.model.V0038JobResponseProperties;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.replica.LeaderEpochs;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.SnapshotInForce;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster state from Slurm: with {@code gpuplacer.slurm.enabled}, every replica reads nodes and jobs through
 * slurmrestd every {@code poll}, and the leader puts each snapshot in force (and so in the emission ledger) as a
 * cluster PUT by {@code slurm} would, then decides for the held deferrable jobs ({@link SlurmDeferrals}). When
 * slurmrestd cannot be read, the state in force stays as the last snapshot left it, nothing is decided, and
 * {@link #status()} (shown in /health) says since when and why.
 */
@Context
@Requires(property = "gpuplacer.slurm.enabled", value = "true")
@Requires(notEnv = Modes.TOOL)
public class SlurmSnapshots {

    public static final String AUTHOR = "slurm";
    private static final Logger LOG = LoggerFactory.getLogger(SlurmSnapshots.class);
    private static final Duration EXPIRY_WARNING = Duration.ofMinutes(15);
    // A snapshot like the one in force (but for the time it was taken and the hours left) is put in force again only
    // this long after it: a poll every few seconds would otherwise store a cluster version every few seconds.
    private static final Duration REFRESH = Duration.ofMinutes(10);

    /** How the last reads went: the last good snapshot, and the error since then (null when the last read was good). */
    public record Status(String url, Instant lastSnapshotAt, int nodes, int runningTasks, int skipped,
                         Instant failingSince, String error, Instant tokenExpiresAt) {
        public boolean reachable() {
            return error == null;
        }
    }

    private final ClusterState state;
    private final ReplicaLocks replicas;
    private final Clock clock;
    private final SlurmSettings settings;
    private final SlurmToken token;
    private final SlurmRest rest;
    private final SlurmSnapshot mapper;
    private final SlurmDeferrals deferrals;
    private final Set<String> reported = new HashSet<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slurm-poll");
        t.setDaemon(true);
        return t;
    });
    private volatile Status status;
    private JsonNode lastInForce;
    private Instant lastInForceAt;

    public SlurmSnapshots(ClusterState state, ReplicaLocks replicas, Clock clock, SlurmSettings settings,
                          SettingLists lists, ActionLog actions) {
        this.state = state;
        this.replicas = replicas;
        this.clock = clock;
        this.settings = settings;
        this.token = new SlurmToken(settings.token(), settings.tokenFile());
        this.rest = new SlurmRest(URI.create(settings.url()), settings.user(), token::get, settings.timeout());
        Map<String, String> models = new HashMap<>();
        for (SlurmGpuType t : lists.slurmGpuTypes()) {
            models.put(t.type(), t.model());
        }
        this.mapper = new SlurmSnapshot(new SlurmMapping(new SnapshotSettings.Zone(settings.zone(), settings.pue()),
                models, NodeType.factsByType(lists.nodeTypes()), settings.defaultHours()));
        this.deferrals = new SlurmDeferrals(rest, mapper, state, actions, settings.apply());
        this.status = new Status(settings.url(), null, 0, 0, 0, null, "not read yet", null);
    }

    @PostConstruct
    void start() {
        poller.scheduleWithFixedDelay(this::pollOrSay, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("slurm: reading {} every {} s as {}; held deferrable jobs are handed back {}", settings.url(),
                settings.poll().toSeconds(), settings.user(), settings.apply() ? "(apply: on)"
                        : "in dry-run (gpuplacer.slurm.apply is off: decisions are recorded, nothing is sent)");
    }

    /** How the last reads went. */
    public Status status() {
        return status;
    }

    /** A scheduled task that throws is never run again: a failure of one poll is said, and the next one runs. */
    private void pollOrSay() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("slurm: a poll failed ({}); the next one tries again", e.toString());
        }
    }

    void poll() {
        Instant now = clock.instant();
        Instant expires = token.expiresAt();
        if (expires != null && now.plus(EXPIRY_WARNING).isAfter(expires)) {
            once("token", "slurm: the token for " + settings.user() + (now.isAfter(expires) ? " ended at " : " ends at ")
                    + expires + "; renew it (scontrol token) in " + (settings.tokenFile().isBlank()
                    ? "gpuplacer.slurm.token" : settings.tokenFile()));
        }
        SlurmSnapshot.Result result;
        List<V0038JobResponseProperties> jobs;
        try {
            var nodes = rest.nodes();
            jobs = rest.jobs();
            result = mapper.map(nodes, jobs, now);
        } catch (SlurmRest.SlurmException | RuntimeException e) {
            Status last = status;
            Instant since = last.failingSince() != null ? last.failingSince() : now;
            status = new Status(settings.url(), last.lastSnapshotAt(), last.nodes(), last.runningTasks(),
                    last.skipped(), since, e.getMessage(), expires);
            once("down " + e.getMessage(), "slurm: " + e.getMessage() + "; the state in force stays as the last "
                    + "snapshot (" + (last.lastSnapshotAt() == null ? "none yet" : last.lastSnapshotAt()) + ") left it");
            return;
        }
        for (SlurmSnapshot.Skipped s : result.skipped()) {
            once(s.kind() + s.name() + s.reason(), "slurm: " + s.kind() + " " + s.name() + " left out of the snapshot: "
                    + s.reason());
        }
        if (status.failingSince() != null && status.lastSnapshotAt() != null) {
            LOG.info("slurm: {} answers again", settings.url());
            synchronized (reported) {
                reported.removeIf(r -> r.startsWith("down "));
            }
        }
        status = new Status(settings.url(), now, result.cluster().get("nodes").size(),
                result.cluster().get("running").size(), result.skipped().size(), null, null, expires);
        ReplicaLocks.Leadership lead = replicas.confirm();
        if (lead == null) {
            lastInForce = null;
            return; // the leader puts it in force and acts; this replica reads the state from the database
        }
        JsonNode unchangedPart = withoutTimes(result.cluster());
        if (!unchangedPart.equals(lastInForce) || !now.isBefore(lastInForceAt.plus(REFRESH))) {
            if (SnapshotInForce.put(state, result.cluster(), AUTHOR, LOG)) {
                lastInForce = unchangedPart;
                lastInForceAt = now;
            }
        }
        try {
            deferrals.tick(jobs, now, lead);
        } catch (LeaderEpochs.StaleLeaderException e) {
            LOG.warn("slurm: the pass stopped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("slurm: deciding for held jobs failed ({}); the next poll tries again", e.toString());
        }
    }

    /** The snapshot without the time it was taken and the hours left of each running task. */
    private static JsonNode withoutTimes(ObjectNode cluster) {
        ObjectNode copy = cluster.deepCopy();
        copy.remove("observedAt");
        copy.withArray("running").forEach(t -> ((ObjectNode) t)
                .remove("remainingHours"));
        return copy;
    }

    private void once(String key, String message) {
        synchronized (reported) {
            if (reported.add(key)) {
                LOG.warn(message);
            }
        }
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
