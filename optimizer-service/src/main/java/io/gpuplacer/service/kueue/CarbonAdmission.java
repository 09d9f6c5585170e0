package io.gpuplacer.service.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks;
import io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks.Answer;
import io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks.State;
import io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks.Waiting;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.actions.ActionReason;
import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.replica.LeaderEpochs;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The carbon-window admission check, one pass of the leader (issue 25). The AdmissionChecks of this controller are
 * Active while the signals are fresh. Each Workload whose quota Kueue reserved and whose check is Pending is decided
 * ({@link CarbonWindow}): Ready with its pods pinned to the chosen place, held with the hour and the saving
 * (Pending, or Retry with requeueAfterSeconds: {@code gpuplacer.kubernetes.kueue.hold}), or Rejected when no node can
 * ever hold it. It never starves: a job whose window allows no later start, whose saving is under the threshold,
 * that does not read, or whose signals are stale is made Ready at once (the last two fail open and say so). Every
 * decision is an ADMIT action (GET /v1/actions): PLANNED while held, then APPLIED (or DRY_RUN, FAILED); with apply
 * off nothing is written to the cluster.
 */
public final class CarbonAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(CarbonAdmission.class);

    private final WorkloadChecks checks;
    private final ClusterState state;
    private final ActionLog log;
    private final boolean apply;
    private final KubernetesSettings.Kueue settings;
    private final SignalFreshness freshness;
    private final int budgetMillis;
    private final BiConsumer<String, JsonNode> arrivals;

    /** {@code arrivals} is told of every waiting job (the ledger's arrivals: a Workload held by the check is pending). */
    public CarbonAdmission(WorkloadChecks checks, ClusterState state, ActionLog log, boolean apply,
                           KubernetesSettings.Kueue settings, SignalFreshness freshness, int budgetMillis,
                           BiConsumer<String, JsonNode> arrivals) {
        this.checks = checks;
        this.state = state;
        this.log = log;
        this.apply = apply;
        this.settings = settings;
        this.freshness = freshness;
        this.budgetMillis = budgetMillis;
        this.arrivals = arrivals;
    }

    /** One pass at {@code now}: the checks' Active condition, then every waiting Workload. */
    public synchronized void tick(Instant now, ReplicaLocks.Leadership lead) {
        List<String> ours = checks.checks();
        Map<String, ClusterActionRecord> held = new HashMap<>();
        for (ClusterActionRecord a : log.planned()) {
            if (ActionLog.Kind.ADMIT.name().equals(a.kind()) && a.podUid() != null) {
                held.put(a.podUid(), a);
            }
        }
        if (ours.isEmpty() && held.isEmpty()) {
            return;
        }
        String stale = freshness.staleReason();
        activate(lead, ours, stale);
        List<Waiting> waiting = checks.waiting();
        // A dry run writes nothing: its Workloads stay Pending, and one decided Ready in a dry run is not again.
        Set<String> dryRunDone = apply ? Set.of() : log.done(ActionLog.Kind.ADMIT,
                waiting.stream().map(Waiting::uid).toList());
        OracleView view = state.view();
        Set<String> seen = new java.util.HashSet<>();
        for (Waiting w : waiting) {
            seen.add(w.uid());
            if (dryRunDone.contains(w.uid())) {
                continue;
            }
            if (w.job() != null) {
                arrivals.accept(w.runningJob(), w.job());
            }
            try {
                decide(lead, view, w, held.get(w.uid()), stale, now);
            } catch (LeaderEpochs.StaleLeaderException e) {
                throw e; // another replica leads: not one more write
            } catch (RuntimeException e) {
                LOG.warn("kueue: Workload {}: {}", w, e.toString());
            }
        }
        for (ClusterActionRecord a : held.values()) {
            if (!seen.contains(a.podUid())) {
                log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.NO_LONGER_WAITING.text());
            }
        }
    }

    private void activate(ReplicaLocks.Leadership lead, List<String> ours, String stale) {
        if (!apply) {
            return;
        }
        for (String check : ours) {
            try {
                lead.check();
                if (stale == null) {
                    checks.activate(check, true, "SignalsFresh", "gpuplacer answers for it: carbon and price "
                            + "signals are fresh");
                } else {
                    checks.activate(check, false, "SignalsStale", "signals stale: " + stale + "; Workloads already "
                            + "waiting are admitted at once (fail open)");
                }
            } catch (WorkloadChecks.AnswerException e) {
                LOG.warn("kueue: AdmissionCheck {}: its Active condition was not written: {}", check, e.getMessage());
            }
        }
    }

    private void decide(ReplicaLocks.Leadership lead, OracleView view, Waiting w, ClusterActionRecord action,
                        String stale, Instant now) {
        if (w.error() != null) {
            answer(lead, w, action, new Answer(State.Ready, "admitted now (fail open): the Workload does not read "
                    + "as a job: " + w.error(), List.of(), null));
            return;
        }
        if (stale != null) {
            answer(lead, w, action, new Answer(State.Ready, "admitted now (fail open): " + stale, List.of(), null));
            return;
        }
        if (view.base().nodes().isEmpty()) {
            answer(lead, w, action, new Answer(State.Ready, "admitted now (fail open): the cluster state has no "
                    + "nodes yet", List.of(), null));
            return;
        }
        CarbonWindow.Decision d = CarbonWindow.decide(view, w.job(), settings.minSaving(),
                SearchBudget.ofMillis(budgetMillis));
        Instant at = view.base().now().plusSeconds(3600L * d.startSlot());
        switch (d.state()) {
            case READY -> answer(lead, w, action, new Answer(State.Ready, d.message(), d.nodes(), null));
            case REJECTED -> answer(lead, w, action, new Answer(State.Rejected, d.message(), List.of(), null));
            case PENDING -> {
                if (settings.hold() == KubernetesSettings.Kueue.Hold.RETRY && checks.delayedRetry()) {
                    long seconds = Math.max(60, java.time.Duration.between(now, at).getSeconds());
                    answer(lead, w, action, new Answer(State.Retry, d.message() + "; quota released until then",
                            d.nodes(), (int) Math.min(Integer.MAX_VALUE, seconds)));
                } else {
                    hold(lead, w, action, d, at);
                }
            }
        }
    }

    /** Kept Pending with its message; the action stays PLANNED, due at the hour it waits for. */
    private void hold(ReplicaLocks.Leadership lead, Waiting w, ClusterActionRecord action, CarbonWindow.Decision d,
                      Instant at) {
        String reason = apply ? ActionReason.ADMIT_HELD.text(d.message())
                : ActionReason.ADMIT_HELD_DRY_RUN.text(d.message());
        String nodes = String.join(",", d.nodes());
        if (action == null) {
            action = log.record(lead, ActionLog.Kind.ADMIT, w.toString(), w.uid(), w.runningJob(), nodes, at,
                    ActionLog.Status.PLANNED, reason);
        } else if (!reason.equals(action.reason())) {
            action = log.update(lead, action, nodes, ActionLog.Status.PLANNED, reason);
        }
        if (!apply) {
            return;
        }
        try {
            lead.check();
            checks.answer(w, new Answer(State.Pending, d.message(), d.nodes(), null));
        } catch (WorkloadChecks.AnswerException e) {
            log.update(lead, action, nodes, ActionLog.Status.PLANNED, ActionReason.API_SERVER_REFUSED.text(
                    "its message was not written: " + e.getMessage()));
        }
    }

    /** A final answer (Ready, Retry, Rejected): written, the action APPLIED (DRY_RUN, FAILED). */
    private void answer(ReplicaLocks.Leadership lead, Waiting w, ClusterActionRecord action, Answer answer) {
        String nodes = answer.nodes().isEmpty() ? null : String.join(",", answer.nodes());
        Instant at = state.currentHour();
        if (action == null) {
            action = log.record(lead, ActionLog.Kind.ADMIT, w.toString(), w.uid(), w.runningJob(), nodes, at,
                    ActionLog.Status.PLANNED, answer.state() + ": " + answer.message());
        }
        if (!apply) {
            log.update(lead, action, nodes, ActionLog.Status.DRY_RUN, ActionReason.ADMIT_DRY_RUN.text(answer.state(),
                    answer.message()));
            return;
        }
        try {
            lead.check(); // the last moment before the cluster is changed
            WorkloadChecks.NodePin pin = checks.answer(w, answer);
            String reason = switch (answer.state()) {
                case Ready -> ActionReason.ADMIT_READY.text(answer.message(), pin.scope());
                case Retry -> ActionReason.ADMIT_RETRY.text(answer.requeueAfterSeconds(), answer.message());
                default -> ActionReason.ADMIT_REJECTED.text(answer.message());
            };
            log.update(lead, action, nodes, ActionLog.Status.APPLIED, reason);
        } catch (WorkloadChecks.AnswerException e) {
            log.update(lead, action, nodes, ActionLog.Status.FAILED, ActionReason.API_SERVER_REFUSED.text(
                    e.getMessage()));
        }
    }
}
