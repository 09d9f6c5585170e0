package io.gpuplacer.service.actions;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.persistence.ClusterActionRepository;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Every action meant for a cluster, with its status (V7 cluster_action); an action sent to a cluster (applied or
 * refused) is also a row of the append-only audit, by {@value #PRINCIPAL}, outcome 0 applied, 1 refused, written in
 * the action's transaction.
 */
@Singleton
public class ActionLog {

    public static final String PRINCIPAL = "gpuplacer (leader)";

    /** GATE, RELEASE: pods at the gate; EVICT, PREEMPT: running pods; ADMIT: a Kueue Workload's admission check. */
    public enum Kind { GATE, RELEASE, EVICT, PREEMPT, ADMIT }

    public enum Status { PLANNED, APPLIED, DRY_RUN, FAILED, SUPERSEDED }

    private static final int MAX_REASON = 2000;

    private final ClusterActionRepository repository;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionOperations<Connection> transactions;

    public ActionLog(ClusterActionRepository repository, AuditTrail audit, Clock clock,
                     TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new action in its first status (any replica: the webhook's gates, a run's moves planned). */
    public ClusterActionRecord record(Kind kind, String target, String job, String nodes, Instant dueAt, Status status,
                                      String reason) {
        return record(kind, target, job, nodes, dueAt, status, reason, null);
    }

    /**
     * The same for an answer to a request that may come again ({@code requestKey}, e.g. an AdmissionReview's uid):
     * the first time recorded, a replay (also one racing it on another replica) answered with the row recorded.
     */
    public ClusterActionRecord record(Kind kind, String target, String job, String nodes, Instant dueAt, Status status,
                                      String reason, String requestKey) {
        return record(kind, target, job, nodes, dueAt, status, reason, requestKey, null, null);
    }

    /** A run's preemption of a running task ({@code job}, on {@code node}) for another job, with Kueue's reason. */
    public ClusterActionRecord recordPreemption(String target, String job, String node, Preemption preemption,
                                                Status status, String reason) {
        return record(Kind.PREEMPT, target, job, node, null, status, reason, null, null, preemption);
    }

    /**
     * What a PREEMPT action is for: the job it makes room for and Kueue's reason; and what it costs: the victim's
     * queue and the GPU-hours it loses (null when the victim is not known).
     */
    public record Preemption(String forJob, String reason, String victimQueue, Double lostGpuHours) {
    }

    private ClusterActionRecord record(Kind kind, String target, String job, String nodes, Instant dueAt,
                                       Status status, String reason, String requestKey, String podUid,
                                       Preemption preemption) {
        String key = Shortened.to(requestKey, 100);
        if (key != null) {
            java.util.Optional<ClusterActionRecord> seen = repository.findByRequestKey(key);
            if (seen.isPresent()) {
                return seen.get();
            }
        }
        Instant now = clock.instant();
        ClusterActionRecord saved;
        try {
            saved = transactions.executeWrite(tx -> {
                ClusterActionRecord row = repository.save(new ClusterActionRecord(null, now, now, kind.name(),
                        Shortened.to(target, 300), Shortened.to(job, 300), Shortened.to(nodes, 2000), dueAt, status.name(),
                        Shortened.to(reason, MAX_REASON), 0, key, Shortened.to(podUid, 100),
                        preemption == null ? null : Shortened.to(preemption.forJob(), 300),
                        preemption == null ? null : Shortened.to(preemption.reason(), 40),
                        preemption == null ? null : Shortened.to(preemption.victimQueue(), 200),
                        preemption == null ? null : preemption.lostGpuHours()));
                auditIfSent(row);
                return row;
            });
        } catch (io.micronaut.data.exceptions.DataAccessException e) {
            java.util.Optional<ClusterActionRecord> raced = key == null ? java.util.Optional.empty()
                    : repository.findByRequestKey(key);
            if (raced.isPresent()) {
                return raced.get(); // the same request, recorded a moment ago elsewhere
            }
            throw e;
        }
        return saved;
    }

    /** A new action the leader decided about a pod (its UID), written under its epoch. */
    public ClusterActionRecord record(ReplicaLocks.Leadership lead, Kind kind, String target, String podUid,
                                      String job, String nodes, Instant dueAt, Status status, String reason) {
        return lead.write(() -> record(kind, target, job, nodes, dueAt, status, reason, null, podUid, null));
    }

    /** Of these pods (UIDs), those whose release was applied or dry-run. */
    public java.util.Set<String> released(java.util.Collection<String> podUids) {
        return done(Kind.RELEASE, podUids);
    }

    /** Of these objects (UIDs: pods, Workloads), those with an action of the kind applied or dry-run. */
    public java.util.Set<String> done(Kind kind, java.util.Collection<String> uids) {
        java.util.Set<String> out = new java.util.HashSet<>();
        List<String> all = List.copyOf(uids);
        for (int i = 0; i < all.size(); i += 500) { // bounded IN lists
            out.addAll(repository.findDone(kind.name(), all.subList(i, Math.min(all.size(), i + 500))));
        }
        return out;
    }

    /**
     * The action's next status (and nodes), one attempt more: the leader's, written under its epoch with its audit
     * row in the same transaction.
     */
    public ClusterActionRecord update(ReplicaLocks.Leadership lead, ClusterActionRecord action, String nodes,
                                      Status status, String reason) {
        return lead.write(() -> {
            ClusterActionRecord updated = repository.update(action.with(clock.instant(), Shortened.to(nodes, 2000),
                    status.name(), Shortened.to(reason, MAX_REASON)));
            auditIfSent(updated);
            return updated;
        });
    }

    /**
     * The source nodes of the evictions (moves and preemptions) applied since then, however many other actions came
     * after them.
     */
    public java.util.Set<String> evictedNodesSince(Instant since) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String nodes : repository.findEvictedNodesSince(since)) {
            out.add(nodes.split(",")[0]);
        }
        return out;
    }

    public List<ClusterActionRecord> planned() {
        return repository.findPlanned();
    }

    /**
     * One action as the log keeps it: what, to which nodes, due when, in which status, why, tried how often; a
     * preemption also for which job, by which rule, and the victim's queue.
     */
    public record Entry(long id, Instant createdAt, Instant updatedAt, String kind, String target, String job,
                        List<String> nodes, Instant dueAt, String status, String reason, int attempts,
                        String forJob, String preemptionReason, String victimQueue) {
        public static Entry of(ClusterActionRecord r) {
            return new Entry(r.id(), r.createdAt(), r.updatedAt(), r.kind(), r.target(), r.job(),
                    r.nodes() == null ? List.of() : List.of(r.nodes().split(",")), r.dueAt(), r.status(), r.reason(),
                    r.attempts(), r.forJob(), r.preemptionReason(), r.victimQueue());
        }
    }

    /** The newest actions before an id, newest first, of one status or all. */
    public List<Entry> page(long before, int limit, Status status) {
        return (status == null ? repository.findPage(before, limit)
                : repository.findPageByStatus(before, status.name(), limit)).stream().map(Entry::of).toList();
    }

    private void auditIfSent(ClusterActionRecord a) {
        boolean applied = Status.APPLIED.name().equals(a.status());
        if (applied || Status.FAILED.name().equals(a.status())) {
            audit.recordWithChange(PRINCIPAL, "action-" + a.id(), "kubernetes " + a.kind(), a.target() + (a.nodes() == null ? ""
                    : " to " + a.nodes()), applied ? 0 : 1, a.reason());
        }
    }
}
