package io.gpuplacer.service.weights;

/** A change made against a version of the weights that is no longer the newest (an {@code If-Match} that failed). */
public final class StaleVersionException extends Exception {

    private final long expected;
    private final long current;

    public StaleVersionException(long expected, long current) {
        super("If-Match: the weights are at version " + current + ", not " + expected + "; GET /v1/weights, "
                + "reconsider the change on that version and send it with If-Match: \"" + current + "\"");
        this.expected = expected;
        this.current = current;
    }

    public long expected() {
        return expected;
    }

    public long current() {
        return current;
    }
}
