package io.gpuplacer.service.persistence;

import java.util.function.Supplier;

/**
 * A copy of something the database holds, for a hot path that cannot query it on every call: read again when it is
 * older than the age given, or after {@link #stale()} (this process changed it). One reader at a time reads.
 */
public final class FreshCopy<T> {

    private record Copy<T>(T value, long readAt) {
    }

    private final Supplier<T> read;
    private final long maxAgeNanos;
    private volatile Copy<T> copy;

    public FreshCopy(Supplier<T> read, long maxAgeMillis) {
        this.read = read;
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
    }

    public T get() {
        Copy<T> c = copy;
        if (c != null && System.nanoTime() - c.readAt() <= maxAgeNanos) {
            return c.value();
        }
        synchronized (this) {
            c = copy;
            if (c == null || System.nanoTime() - c.readAt() > maxAgeNanos) {
                long readAt = System.nanoTime();
                c = new Copy<>(read.get(), readAt);
                copy = c;
            }
            return c.value();
        }
    }

    /** The next get() reads again. */
    public void stale() {
        copy = null;
    }
}
