package io.gpuplacer.service.actions;

import io.gpuplacer.service.persistence.FreshCopy;
import io.gpuplacer.service.persistence.SteeringHintStore;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Where the replacement of an evicted pod should go: its controller ({@code namespace/name}) to the move's target
 * node, for a while ({@value #TTL_MINUTES} minutes), as the extender's filter then steers the next pod of that
 * controller. In the database ({@link SteeringHintStore}): the leader evicts, and whichever replica kube-scheduler
 * reaches steers; the extender reads a copy at most {@value #FRESH_MILLIS} ms old. A hint is used up when the pod it
 * steered is bound to its node (by the extender's bind), or when another pod of the controller comes, not when it
 * is filtered: a pod that fails to bind is steered again on its retry.
 */
@Singleton
public class SteeringHints {

    static final long TTL_MINUTES = 10;
    static final long FRESH_MILLIS = 1000;

    private final Clock clock;
    private final SteeringHintStore store;
    private final FreshCopy<Map<String, SteeringHintStore.Hint>> copy;

    public SteeringHints(Clock clock, SteeringHintStore store) {
        this.clock = clock;
        this.store = store;
        this.copy = new FreshCopy<>(() -> Map.copyOf(store.live(clock.instant())), FRESH_MILLIS);
    }

    public void steer(String controller, String node) {
        store.put(controller, node, clock.instant().plus(Duration.ofMinutes(TTL_MINUTES)));
        copy.refresh();
    }

    /**
     * The node the controller's pod {@code member} should go to, or null. A hint steers one pod, the replacement:
     * once it steered one, another pod of the controller (the replacement got through, or a scale-up) uses it up.
     */
    public String target(String controller, String member) {
        if (controller == null) {
            return null;
        }
        SteeringHintStore.Hint h = hints().get(controller);
        if (h == null || !clock.instant().isBefore(h.until())) {
            return null;
        }
        if (h.member() != null && !h.member().equals(member)) {
            store.usedUp(h.member(), h.node());
            copy.refresh();
            return null;
        }
        return h.node();
    }

    /** The controller's pod {@code member} was steered by its hint (its bind to the hint's node uses it up). */
    public void steered(String controller, String member) {
        SteeringHintStore.Hint h = hints().get(controller);
        if (h != null && !member.equals(h.member())) {
            store.steered(controller, member);
            copy.refresh();
        }
    }

    /** The pod was bound: a hint that steered it to that node is used up. */
    public void bound(String member, String node) {
        if (store.usedUp(member, node)) {
            copy.refresh();
        }
    }

    private Map<String, SteeringHintStore.Hint> hints() {
        return copy.get();
    }

    /** Hints past their time go (any replica: the delete is idempotent). */
    @Scheduled(fixedDelay = "10m", initialDelay = "10m")
    void purge() {
        try {
            store.deleteExpired(clock.instant());
        } catch (RuntimeException e) {
            // the database is away: the next pass deletes them
        }
    }
}
