package io.gpuplacer.service.persistence;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes a change in one transaction with the audit row of whoever asked for it (the audit implements it), so that
 * a use case commits its change and its row together without knowing the audit or HTTP.
 */
public interface ChangeWriter {

    /** Writes each change as it is, without a transaction of its own or a row (tests of a use case alone). */
    ChangeWriter DIRECT = new ChangeWriter() {
        @Override
        public <R> R write(Supplier<R> change, Function<? super R, String> target) {
            return change.get();
        }
    };

    /**
     * Runs the change in a write transaction (joining the caller's, when there is one) with its audit row, naming
     * what changed ({@code target} of the result). Call it where the whole transaction may be run again, not inside
     * one that may be.
     */
    <R> R write(Supplier<R> change, Function<? super R, String> target);
}
