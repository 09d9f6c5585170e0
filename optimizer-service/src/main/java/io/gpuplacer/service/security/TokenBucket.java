package io.gpuplacer.service.security;

/** A token bucket: {@code burst} requests at once, refilled at {@code perSecond}; thread-safe. */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one request's token; returns 0 when granted, else the nanoseconds until one is there. */
    synchronized long take(long now) {
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
