package io.gpuplacer.connectors.kubernetes.eviction;

/** Port: evicting a pod through the Eviction API ({@code policy/v1}), never a delete. */
public interface PodEvictions {

    enum Outcome {
        /** The API server accepted the eviction: the pod goes, with its grace period. */
        EVICTED,
        /** A PodDisruptionBudget does not allow it now (429): try later, never force. */
        REFUSED_BY_BUDGET,
        /** The pod is gone already. */
        GONE
    }

    /** An eviction the API server refused for another reason. */
    final class EvictionException extends Exception {
        public EvictionException(String message) {
            super(message);
        }
    }

    Outcome evict(String namespace, String name) throws EvictionException;
}
