package io.gpuplacer.service.audit;

/**
 * The audit row of a change could not be written in the change's transaction: the change rolled back with it (no
 * change is made without its row). The API answers 503.
 */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(RuntimeException cause) {
        super("the audit row could not be written (" + cause.getClass().getSimpleName() + ")", cause);
    }
}
