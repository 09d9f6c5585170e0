package io.gpuplacer.service.extender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.state.OracleView;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter's last verdicts per pod, so that prioritize (which kube-scheduler sends right after, for the nodes the
 * filters kept) reuses them instead of pricing every node again. A verdict counts only for the same view of the
 * state (same snapshot, signals, weights and hour), the same pod as read, and nodes it judged; the oldest are
 * forgotten first.
 */
final class RecentVerdicts {

    private static final int CAPACITY = 256;

    /** The view weakly: an entry must not keep an old state (a whole problem and its oracle) alive. */
    private record Entry(WeakReference<OracleView> view, ObjectNode job, Verdicts verdicts) {
    }

    private final Map<String, Entry> byPod = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void put(String pod, OracleView view, ObjectNode job, Verdicts verdicts) {
        byPod.put(pod, new Entry(new WeakReference<>(view), job, verdicts));
    }

    /** The verdicts the filter gave this pod on this view, when they cover every node asked about; else null. */
    synchronized Verdicts get(String pod, OracleView view, ObjectNode job, List<String> nodes) {
        Entry e = byPod.get(pod);
        if (e == null || e.view().get() != view || !e.job().equals(job)) {
            return null;
        }
        for (String node : nodes) {
            if (!e.verdicts().judged(node)) {
                return null;
            }
        }
        return e.verdicts();
    }
}
