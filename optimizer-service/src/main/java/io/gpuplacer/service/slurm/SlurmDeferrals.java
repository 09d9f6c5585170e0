package io.gpuplacer.service.slurm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.slurm.SlurmRest;
import io.gpuplacer.connectors.slurm.SlurmSnapshot;
import io.gpuplacer.connectors.slurm.v0038.model.V0038JobResponseProperties;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.actions.ActionReason;
import io.gpuplacer.service.actions.BestPlace;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's decisions for Slurm's held deferrable jobs (held and marked by examples/slurm/cli_filter.lua): each
 * is placed by the oracle at its best hour inside its window, and handed back to Slurm at once with that begin time
 * and its nodes (every node of a gang), so that Slurm starts it then even if this service is down by that time; a
 * job whose best hour is now begins now. One RELEASE action per job in {@code GET /v1/actions}: APPLIED, FAILED
 * (slurmrestd refused; tried again at the next poll) or, with apply off, DRY_RUN (nothing sent; the job stays held).
 * A job with no place in its window stays held and is tried again at the next poll.
 */
final class SlurmDeferrals {

    private static final int BUDGET_MILLIS = 2000;

    private final SlurmRest rest;
    private final SlurmSnapshot mapper;
    private final ClusterState state;
    private final ActionLog log;
    private final boolean apply;

    SlurmDeferrals(SlurmRest rest, SlurmSnapshot mapper, ClusterState state, ActionLog log, boolean apply) {
        this.rest = rest;
        this.mapper = mapper;
        this.state = state;
        this.log = log;
        this.apply = apply;
    }

    /** The uid an action of the job is recorded under (its done/not-done key). */
    static String uid(long jobId) {
        return "slurm-job-" + jobId;
    }

    void tick(List<V0038JobResponseProperties> jobs, Instant now, ReplicaLocks.Leadership lead) {
        List<V0038JobResponseProperties> held = new ArrayList<>();
        for (V0038JobResponseProperties job : jobs) {
            if ("PENDING".equals(job.getJobState()) && SlurmRest.DEFERRABLE.equals(job.getComment())
                    && "JobHeldUser".equals(job.getStateReason()) && job.getJobId() != null) {
                held.add(job);
            }
        }
        if (held.isEmpty()) {
            return;
        }
        Set<String> done = log.done(ActionLog.Kind.RELEASE, held.stream().map(j -> uid(j.getJobId())).toList());
        Map<String, ObjectNode> asJobs = new HashMap<>();
        mapper.pending(held, now).jobs().forEach(j -> asJobs.put(j.get("id").asText(), j));
        OracleView view = state.view();
        for (V0038JobResponseProperties job : held) {
            ObjectNode asJob = asJobs.get(SlurmSnapshot.JOB_PREFIX + job.getJobId());
            if (asJob == null || done.contains(uid(job.getJobId()))) {
                continue; // skipped by the mapping (logged by the snapshot), or decided already
            }
            PlacementOracle.JobOption option = BestPlace.of(view, asJob, false, BUDGET_MILLIS, "slurm");
            if (option == null) {
                continue;
            }
            int start = option.placements().get(0).start();
            Instant begin = start == 0 ? now : view.base().now().plusSeconds(3600L * start);
            List<String> nodes = option.placements().stream().map(p -> p.node().id()).toList();
            String target = "slurm job " + job.getJobId();
            String onNodes = String.join(",", nodes);
            // The contract lets a gang's tasks share a node; Slurm's -N n takes n distinct nodes. Then only the hour
            // is the plan's, and Slurm chooses the nodes at that hour.
            boolean distinct = nodes.stream().distinct().count() == nodes.size();
            List<String> required = distinct ? nodes : List.of();
            String pinned = distinct ? onNodes : null; // the action's nodes: none when Slurm chooses them
            String reason = distinct ? ActionReason.SLURM_HANDED_BACK.text(begin, onNodes, start, option.delta())
                    : ActionReason.SLURM_NODES_TO_SLURM.text(begin, onNodes, start, option.delta());
            if (!apply) {
                log.record(lead, ActionLog.Kind.RELEASE, target, uid(job.getJobId()), asJob.get("id").asText(),
                        pinned, begin, ActionLog.Status.DRY_RUN, ActionReason.SLURM_DRY_RUN.text(begin,
                                distinct ? onNodes : "the nodes Slurm chooses then (the plan put several of its tasks "
                                        + "on " + onNodes + ")", start, option.delta()));
                continue;
            }
            try {
                lead.check(); // the last moment before the cluster is changed
                rest.handBack(job.getJobId(), begin, required, now);
                log.record(lead, ActionLog.Kind.RELEASE, target, uid(job.getJobId()), asJob.get("id").asText(),
                        pinned, begin, ActionLog.Status.APPLIED, reason);
            } catch (SlurmRest.SlurmException e) {
                log.record(lead, ActionLog.Kind.RELEASE, target, uid(job.getJobId()), asJob.get("id").asText(),
                        pinned, begin, ActionLog.Status.FAILED, ActionReason.SLURMRESTD_REFUSED.text(e.getMessage()));
            }
        }
    }
}
