package io.gpuplacer.connectors.kubernetes.extender;

/** Port: binds a pod to a node, as kube-scheduler's bind step would. */
public interface PodBinder {

    /** What a bind did. */
    enum Outcome {
        /** The binding was created now. */
        BOUND,
        /** The pod was already bound to that node (a retry of a bind that went through). */
        ALREADY_BOUND
    }

    /** A bind that did not happen, with the reason the caller can read. */
    final class BindingException extends Exception {
        public BindingException(String message) {
            super(message);
        }
    }

    /**
     * Binds the pod (checked against its UID, when given) to the node; idempotent: binding again to the same node
     * is {@link Outcome#ALREADY_BOUND}, to another node an error.
     */
    Outcome bind(String namespace, String name, String uid, String node) throws BindingException;
}
