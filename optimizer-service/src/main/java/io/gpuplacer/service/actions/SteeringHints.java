package io.gpuplacer.service.actions;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the replacement of an evicted pod should go: its controller ({@code namespace/name}) to the move's target
 * node, for a while ({@value #TTL_MINUTES} minutes), as the extender's filter then steers the next pod of that
 * controller. In the replica's memory: the leader evicts and, with one extender URL, answers kube-scheduler too.
 */
@Singleton
public class SteeringHints {

    static final long TTL_MINUTES = 10;

    private record Hint(String node, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Hint> byController = new HashMap<>();

    public SteeringHints(Clock clock) {
        this.clock = clock;
    }

    public synchronized void steer(String controller, String node) {
        byController.put(controller, new Hint(node, clock.instant().plus(Duration.ofMinutes(TTL_MINUTES))));
    }

    /** The node the controller's next pod should go to, or null. */
    public synchronized String target(String controller) {
        if (controller == null) {
            return null;
        }
        Hint h = byController.get(controller);
        if (h == null || !clock.instant().isBefore(h.until())) {
            byController.remove(controller);
            return null;
        }
        return h.node();
    }

    /** The hint is used up: the replacement went to its node. */
    public synchronized void done(String controller) {
        byController.remove(controller);
    }
}
