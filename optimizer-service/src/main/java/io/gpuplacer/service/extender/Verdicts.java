package io.gpuplacer.service.extender;

import io.gpuplacer.service.text.Shortened;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter's answer for one pod: the nodes that passed (each with the change of the score it would bring), those
 * that failed for now (room, reservations: another attempt may pass) and those that fail whatever happens (rules,
 * size: preempting other pods would not help), each with its reason; or one error for the whole pod.
 */
final class Verdicts {

    final List<String> passed = new ArrayList<>();
    final Map<String, Long> softDelta = new LinkedHashMap<>();
    final Map<String, String> failed = new LinkedHashMap<>();
    final Map<String, String> unresolvable = new LinkedHashMap<>();
    String error;

    static Verdicts error(String error) {
        Verdicts v = new Verdicts();
        v.error = Shortened.to(error, 4 * MAX_REASON);
        return v;
    }

    /** Reasons longer than this are cut: one is repeated for every node it applies to. */
    static final int MAX_REASON = 300;

    static String bounded(String reason) {
        return Shortened.to(reason, MAX_REASON);
    }

    void fail(String node, String reason) {
        failed.put(node, reason);
    }

    void pass(String node, long delta) {
        passed.add(node);
        softDelta.put(node, delta);
    }

    boolean judged(String node) {
        return softDelta.containsKey(node) || failed.containsKey(node) || unresolvable.containsKey(node);
    }

    /** Only the target passes; the other nodes that passed fail for now with the reason. */
    void steer(String target, String reason) {
        reason = bounded(reason);
        for (String node : List.copyOf(passed)) {
            if (!node.equals(target)) {
                passed.remove(node);
                softDelta.remove(node);
                failed.put(node, reason);
            }
        }
    }

    void failAll(List<String> nodes, String reason) {
        String once = bounded(reason);
        nodes.forEach(n -> failed.put(n, once));
    }
}
