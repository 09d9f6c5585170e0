package io.gpuplacer.service.optimize;

/** More optimization runs solving or waiting than {@code gpuplacer.max-active-runs}: try again later (429). */
public class TooManyRunsException extends RuntimeException {

    private final int retryAfterSeconds;

    public TooManyRunsException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
