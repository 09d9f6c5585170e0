package io.gpuplacer.connectors.signals;

/** A fetch that gave nothing usable, and why, so that the caller knows whether trying again can help. */
public final class SourceException extends Exception {

    public enum Kind {
        /** 401/403 or a missing setting: fix the configuration; retrying cannot help. */
        CONFIGURATION,
        /** Timeouts, connection errors, 5xx, 429 after every retry: the provider may come back. */
        UNAVAILABLE,
        /** The answer does not read as the provider documents it: rejected whole, nothing taken from it. */
        MALFORMED
    }

    private final Kind kind;

    public SourceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SourceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
