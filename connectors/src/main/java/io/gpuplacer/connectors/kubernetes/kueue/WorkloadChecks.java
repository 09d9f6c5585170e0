package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Port: the Kueue Workloads waiting for an admission check of this controller, and its answers. Kueue reserves a
 * Workload's quota, then waits until every check of its ClusterQueue says Ready; it applies the checks'
 * {@code podSetUpdates} to the pods (KEP-993).
 */
public interface WorkloadChecks {

    /** The controller name this service answers for by default ({@code spec.controllerName}). */
    String CONTROLLER = "gpuplacer.io/carbon-window";

    /**
     * A Workload with its quota reserved and one of this controller's checks Pending.
     *
     * @param check      the AdmissionCheck's name
     * @param job        the Workload read as a contract job; null with {@code error}
     * @param error      why it does not read as a job, or null
     * @param reservedAt when its quota was reserved (the QuotaReserved condition's time), or null
     * @param message    the check's message now (what was last answered)
     * @param runningJob the job its pods will run as (the ledger's name for it), or null with {@code error}
     */
    record Waiting(String namespace, String name, String uid, String check, ObjectNode job, String error,
                   Instant reservedAt, String message, String runningJob) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /** The states a check may be set to (Kueue's names). */
    enum State { Ready, Pending, Retry, Rejected }

    /**
     * An answer: the state, the message the Workload shows, for Ready the nodes the job goes to (pinned, see
     * {@link NodePin}), for Retry the seconds until Kueue tries again.
     */
    record Answer(State state, String message, List<String> nodes, Integer requeueAfterSeconds) {
    }

    /** An answer the API server did not take, with its reason (the Workload changed, went, or was refused). */
    final class AnswerException extends Exception {
        public AnswerException(String message) {
            super(message);
        }
    }

    /** The names of the AdmissionChecks whose {@code spec.controllerName} is this controller's. */
    List<String> checks();

    /** Every Workload waiting for one of them, as the informer last saw it. */
    List<Waiting> waiting();

    /**
     * Sets the check on the Workload (its status, guarded by its resourceVersion: a Workload changed meanwhile is
     * answered at the next tick). Returns the pin the pods get (empty when none).
     */
    NodePin answer(Waiting workload, Answer answer) throws AnswerException;

    /** Sets the AdmissionCheck's {@code Active} condition, written only when it changes. */
    void activate(String check, boolean active, String reason, String message) throws AnswerException;

    /**
     * Whether the API server keeps {@code requeueAfterSeconds} on a Retry (Kueue releases with KEP-3258's delayed
     * retries): false once a Retry came back without it.
     */
    boolean delayedRetry();

    /** What the pods of a Workload made Ready are pinned to: a node selector and the gang's nodes. */
    record NodePin(Map<String, String> nodeSelector, List<String> gangNodes, String scope) {
        public static final NodePin NONE = new NodePin(Map.of(), List.of(), "not pinned");
    }
}
