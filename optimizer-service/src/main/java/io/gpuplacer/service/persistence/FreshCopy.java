package io.gpuplacer.service.persistence;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A copy of something the database holds, for a hot path that cannot query it on every call. A copy older than the
 * age given is read again in the background while callers go on with it (none waits for the database on the hot
 * path; only the first call reads in line); {@link #refresh()} reads it in line, for the thread that just changed
 * it, so that this process sees its own change at once.
 */
public final class FreshCopy<T> {

    /** One daemon thread for every copy's background reads: each is a query or two, once a second at most. */
    private static final Executor READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fresh-copy");
        t.setDaemon(true);
        return t;
    });

    private record Copy<T>(T value, long readAt) {
    }

    private final Supplier<T> read;
    private final long maxAgeNanos;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Copy<T> copy;

    public FreshCopy(Supplier<T> read, long maxAgeMillis) {
        this.read = read;
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
    }

    public T get() {
        Copy<T> c = copy;
        if (c == null) {
            return refresh();
        }
        if (System.nanoTime() - c.readAt() > maxAgeNanos && reading.compareAndSet(false, true)) {
            READER.execute(() -> {
                try {
                    refresh();
                } catch (RuntimeException e) {
                    // the database is away: the copy stays, and the next call tries again
                } finally {
                    reading.set(false);
                }
            });
        }
        return c.value();
    }

    /** Reads the copy again now, in this thread. */
    public T refresh() {
        long readAt = System.nanoTime();
        T value = read.get();
        synchronized (this) {
            Copy<T> c = copy;
            if (c == null || c.readAt() < readAt) { // an older read finishing late does not replace a newer one
                copy = new Copy<>(value, readAt);
            }
        }
        return value;
    }
}
