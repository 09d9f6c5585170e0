package io.gpuplacer.service.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods.GatedPod;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.replica.LeaderEpochs;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pods held at the gate, released at the hour and on the nodes the oracle chose. For each job (a gang: once all
 * its members are created) the oracle picks the best start in the job's window and the nodes; one RELEASE action
 * per pod is PLANNED, due at that hour. When it is due the job is placed again on the state of that moment, as it
 * must start now; if it still has a place, each pod is pinned to its node (required node affinity) and the gate
 * removed, and kube-scheduler binds it there; if it has none, the actions stay PLANNED and are tried at the next
 * tick. A gang's pods are released in one tick or not at all. With apply off (the default) nothing is sent and the
 * actions end DRY_RUN, with the nodes they would have gone to.
 */
public final class GateRelease {

    private static final Logger LOG = LoggerFactory.getLogger(GateRelease.class);

    private final BiConsumer<String, JsonNode> arrivals;
    private final GatedPods gates;
    private final ClusterState state;
    private final ActionLog log;
    private final boolean apply;
    private final int budgetMillis;
    private final java.time.Duration ttl;

    /** {@code arrivals} is told of every gated job (the ledger's arrivals: a job held at the gate is pending). */
    public GateRelease(GatedPods gates, ClusterState state, ActionLog log, boolean apply, int budgetMillis,
                       java.time.Duration ttl, BiConsumer<String, JsonNode> arrivals) {
        this.ttl = ttl;
        this.arrivals = arrivals;
        this.gates = gates;
        this.state = state;
        this.log = log;
        this.apply = apply;
        this.budgetMillis = budgetMillis;
    }

    /** One pass at {@code now}: plans what is new, releases what is due, supersedes what went away. */
    public synchronized void tick(Instant now, ReplicaLocks.Leadership lead) {
        Map<String, List<GatedPod>> byJob = new TreeMap<>();
        List<GatedPod> gated = gates.gated();
        // Pods released, or released in a dry run (by whichever replica led then): not planned again while the
        // watcher still lists them gated (it sees a release a moment later; a dry run leaves the gate).
        java.util.Set<String> handled = log.released(gated.stream().map(GateRelease::key).toList());
        for (GatedPod pod : gated) {
            if (pod.error() == null) {
                arrivals.accept(pod.runningJob(), pod.job());
            }
            if (!handled.contains(key(pod))) {
                byJob.computeIfAbsent(pod.jobId(), k -> new ArrayList<>()).add(pod);
            }
        }
        Map<String, ClusterActionRecord> planned = new HashMap<>();
        for (ClusterActionRecord a : log.planned()) {
            if (ActionLog.Kind.RELEASE.name().equals(a.kind())) {
                planned.put(a.target(), a);
            }
        }
        Map<String, ClusterActionRecord> stillGated = new HashMap<>();
        OracleView view = state.view();
        for (List<GatedPod> members : byJob.values()) {
            members.sort(Comparator.comparing(GatedPod::name));
            List<ClusterActionRecord> actions = new ArrayList<>();
            for (GatedPod m : members) {
                ClusterActionRecord a = planned.get(m.toString());
                if (a != null) {
                    actions.add(a);
                    stillGated.put(m.toString(), a);
                }
            }
            try {
                GatedPod first = members.get(0);
                boolean whole = first.error() != null || members.size() >= first.job().path("tasks").asInt(1);
                if (actions.isEmpty()) {
                    plan(lead, view, members, now);
                } else if (actions.size() != members.size() || !whole) {
                    // A member was recreated (a new pod, no action) or went: the gang is planned again, whole.
                    for (ClusterActionRecord a : actions) {
                        log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.GANG_CHANGED.text());
                    }
                    plan(lead, view, members, now);
                } else if (!actions.get(0).dueAt().isAfter(now)) {
                    release(lead, view, members, actions, now);
                }
            } catch (LeaderEpochs.StaleLeaderException e) {
                throw e; // another replica leads: not one more write
            } catch (RuntimeException e) {
                LOG.warn("gates: job {}: {}", members.get(0).jobId(), e.toString());
            }
        }
        for (ClusterActionRecord a : planned.values()) {
            if (!stillGated.containsKey(a.target())) {
                log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.NO_LONGER_GATED.text());
            }
        }
    }

    private void plan(ReplicaLocks.Leadership lead, OracleView view, List<GatedPod> members, Instant now) {
        GatedPod first = members.get(0);
        if (first.error() != null) {
            return; // reported once by the webhook's action; a pod that does not read stays gated
        }
        int tasks = first.job().path("tasks").asInt(1);
        if (members.size() < tasks) {
            return; // a gang is planned once all its members exist
        }
        PlacementOracle.JobOption option = best(view, first.job(), false);
        if (option == null) {
            String late = late(first.job(), null, now);
            if (late != null) { // no place in its window, and the last hour to start in time has come
                List<ClusterActionRecord> actions = new ArrayList<>();
                for (GatedPod m : members) {
                    actions.add(log.record(lead, ActionLog.Kind.RELEASE, m.toString(), key(m), first.jobId(), null,
                            now, ActionLog.Status.PLANNED, late));
                }
                releaseUnpinned(lead, members, actions, late);
            }
            return;
        }
        int start = option.placements().get(0).start();
        Instant due = view.base().now().plusSeconds(3600L * start);
        for (int i = 0; i < members.size() && i < option.placements().size(); i++) {
            log.record(lead, ActionLog.Kind.RELEASE, members.get(i).toString(), key(members.get(i)), first.jobId(),
                    option.placements().get(i).node().id(), due, ActionLog.Status.PLANNED, ActionReason.RELEASE_PLANNED.text(start,
                            option.delta()));
        }
    }

    private void release(ReplicaLocks.Leadership lead, OracleView view, List<GatedPod> members,
                         List<ClusterActionRecord> actions, Instant at) {
        PlacementOracle.JobOption now = best(view, members.get(0).job(), true);
        if (now == null) {
            String late = late(members.get(0).job(), actions.get(0).dueAt(), at);
            if (late != null) {
                releaseUnpinned(lead, members, actions, late);
                return;
            }
            for (ClusterActionRecord a : actions) {
                log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED, ActionReason.NO_ROOM.text());
            }
            return;
        }
        List<String> nodes = now.placements().stream().map(p -> p.node().id()).toList();
        for (int i = 0; i < members.size(); i++) {
            GatedPod pod = members.get(i);
            String node = nodes.get(i);
            if (!apply) {
                log.update(lead, actions.get(i), node, ActionLog.Status.DRY_RUN, ActionReason.RELEASE_DRY_RUN.text(node));
                continue;
            }
            try {
                lead.check(); // the last moment before the cluster is changed
                gates.release(pod.namespace(), pod.name(), node, nodes);
                log.update(lead, actions.get(i), node, ActionLog.Status.APPLIED, ActionReason.RELEASED.text(node));
            } catch (GatedPods.ReleaseException e) {
                log.update(lead, actions.get(i), node, ActionLog.Status.FAILED,
                        ActionReason.API_SERVER_REFUSED.text(e.getMessage()));
            }
        }
    }

    /**
     * Why the job may wait no longer, or null: the last hour it can start in and end by its deadline has come, or
     * its planned release is {@code gpuplacer.kubernetes.actions.ttl} overdue (a pod never waits at the gate for ever).
     */
    private String late(ObjectNode job, Instant due, Instant now) {
        JsonNode deadline = job.get("deadline");
        if (deadline != null && deadline.isTextual()) {
            try {
                Instant latestStart = Instant.parse(deadline.asText()).minusSeconds(3600L
                        * (long) Math.ceil(job.path("durationHours").asDouble(0)));
                if (!now.isBefore(latestStart)) {
                    return ActionReason.DEADLINE_COMES.text(deadline.asText(), job.path("durationHours").asDouble());
                }
            } catch (java.time.format.DateTimeParseException e) {
                // read by the oracle already; a deadline that does not parse is no deadline here
            }
        }
        if (due != null && !now.isBefore(due.plus(ttl))) {
            return ActionReason.RELEASE_OVERDUE.text(due, ttl.toMinutes());
        }
        return null;
    }

    /** The gate removed without pinning a node: kube-scheduler places the pods as it would have. */
    private void releaseUnpinned(ReplicaLocks.Leadership lead, List<GatedPod> members,
                                 List<ClusterActionRecord> actions, String why) {
        for (int i = 0; i < members.size(); i++) {
            GatedPod pod = members.get(i);
            if (!apply) {
                log.update(lead, actions.get(i), null, ActionLog.Status.DRY_RUN, ActionReason.UNPINNED_DRY_RUN.text(why));
                continue;
            }
            try {
                lead.check();
                gates.release(pod.namespace(), pod.name(), null, List.of());
                log.update(lead, actions.get(i), null, ActionLog.Status.APPLIED, ActionReason.UNPINNED.text(why));
            } catch (GatedPods.ReleaseException e) {
                log.update(lead, actions.get(i), null, ActionLog.Status.FAILED,
                        ActionReason.API_SERVER_REFUSED.text(e.getMessage()));
            }
        }
    }

    private static String key(GatedPod pod) {
        return pod.uid() != null ? pod.uid() : pod.toString();
    }

    /** The job's best place on the view: within its window, or ({@code startNow}) from the current hour. */
    private PlacementOracle.JobOption best(OracleView view, ObjectNode jobJson, boolean startNow) {
        return BestPlace.of(view, jobJson, startNow, budgetMillis, "pod");
    }
}
