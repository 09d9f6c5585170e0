package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Places failed single-GPU pods where one running GPU-sharing pod, moved to another GPU or exchanged for a smaller
 * share there, makes room: the two-step changes a score-driven search does not take, since the first step alone
 * gains nothing. Online placement pairs shares as they come (a 320 beside a 470, leaving 210; a 230 beside a 650,
 * leaving 120); exchanging the two gives 650+320 and 470+230, and the 300 left fits a failed pod of 230. Running
 * pods only move, every rule (CPU, memory, GPU model, room on the GPU) is checked on both ends of each move.
 */
final class ShareRepair {

    private static final int GPU = 1000;

    private final List<OpenbNode> nodes;
    private final List<OpenbPod> arrivals;
    private final Map<Integer, TraceProblem.Placed> placed;
    private final long[] freeCpu;
    private final long[] freeMem;
    private final int[][] room;
    private final List<List<List<Integer>>> shares; // node -> GPU -> the sharing pods on it
    /** GPU keys: node * stride + index. */
    private final int stride;
    /** Every GPU with room, most room first. */
    private final TreeSet<Integer> byRoom;
    /** Share size -> the sharing pods of that size, on the GPUs with the most room first. */
    private final NavigableMap<Integer, TreeSet<Integer>> bySize = new TreeMap<>();

    private ShareRepair(List<OpenbNode> nodes, List<OpenbPod> arrivals, Map<Integer, TraceProblem.Placed> placed) {
        this.nodes = nodes;
        this.arrivals = arrivals;
        this.placed = placed;
        this.freeCpu = new long[nodes.size()];
        this.freeMem = new long[nodes.size()];
        this.room = new int[nodes.size()][];
        this.shares = new ArrayList<>();
        this.stride = nodes.stream().mapToInt(OpenbNode::gpus).max().orElse(0) + 1;
        for (int n = 0; n < nodes.size(); n++) {
            OpenbNode node = nodes.get(n);
            freeCpu[n] = node.cpuMilli();
            freeMem[n] = node.memoryMib();
            room[n] = new int[node.gpus()];
            java.util.Arrays.fill(room[n], GPU);
            List<List<Integer>> perGpu = new ArrayList<>();
            for (int g = 0; g < node.gpus(); g++) {
                perGpu.add(new ArrayList<>());
            }
            shares.add(perGpu);
        }
        placed.forEach((index, where) -> {
            OpenbPod pod = arrivals.get(index);
            freeCpu[where.node()] -= pod.cpuMilli();
            freeMem[where.node()] -= pod.memoryMib();
            for (int g : where.gpus()) {
                room[where.node()][g] -= share(pod);
                if (pod.sharesAGpu()) {
                    shares.get(where.node()).get(g).add(index);
                }
            }
        });
        this.byRoom = new TreeSet<>(Comparator.<Integer>comparingInt(k -> -room(k)).thenComparingInt(k -> k));
        for (int n = 0; n < nodes.size(); n++) {
            for (int g = 0; g < room[n].length; g++) {
                index(n, g);
            }
        }
    }

    /**
     * Places what it can of the failed pods (biggest first), updating {@code placed} and {@code failed}.
     *
     * @return the number of failed pods placed
     */
    static int run(List<OpenbNode> nodes, List<OpenbPod> arrivals, Map<Integer, TraceProblem.Placed> placed,
                   List<Integer> failed) {
        ShareRepair repair = new ShareRepair(nodes, arrivals, placed);
        List<Integer> order = failed.stream().filter(i -> arrivals.get(i).numGpu() == 1)
                .sorted(Comparator.<Integer>comparingInt(i -> -share(arrivals.get(i))).thenComparingInt(i -> i))
                .toList();
        Set<List<Object>> hopeless = new HashSet<>(); // shapes that found no room since the last change
        int count = 0;
        for (int index : order) {
            OpenbPod pod = arrivals.get(index);
            List<Object> shape = List.of(share(pod), pod.cpuMilli(), pod.memoryMib(), pod.gpuSpec());
            if (hopeless.contains(shape)) {
                continue;
            }
            if (repair.place(index)) {
                failed.remove(Integer.valueOf(index));
                hopeless.clear();
                count++;
            } else {
                hopeless.add(shape);
            }
        }
        return count;
    }

    private boolean place(int index) {
        OpenbPod pod = arrivals.get(index);
        int need = share(pod);
        for (int n = 0; n < nodes.size(); n++) {
            if (!allowed(pod, n)) {
                continue;
            }
            for (int g = 0; g < room[n].length; g++) {
                if (room[n][g] >= need) {
                    if (freeCpu[n] >= pod.cpuMilli() && freeMem[n] >= pod.memoryMib()) {
                        put(index, n, g);
                        return true;
                    }
                    continue;
                }
                for (int x : List.copyOf(shares.get(n).get(g))) {
                    if (room[n][g] + share(arrivals.get(x)) >= need && (moveAway(index, x, n, g) || exchange(index, x, n, g))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Moves share {@code x} off GPU g of node n to another GPU with room, then places the pod there. */
    private boolean moveAway(int index, int x, int n, int g) {
        OpenbPod pod = arrivals.get(index);
        OpenbPod moved = arrivals.get(x);
        for (int key : byRoom) {
            int m = key / stride;
            int h = key % stride;
            if (room[m][h] < share(moved)) {
                return false;
            }
            if ((m == n && h == g) || !allowed(moved, m)) {
                continue;
            }
            long cpuN = freeCpu[n] - pod.cpuMilli() + (m == n ? 0 : moved.cpuMilli());
            long memN = freeMem[n] - pod.memoryMib() + (m == n ? 0 : moved.memoryMib());
            boolean fitsM = m == n || (freeCpu[m] >= moved.cpuMilli() && freeMem[m] >= moved.memoryMib());
            if (cpuN >= 0 && memN >= 0 && fitsM) {
                take(x, n, g);
                put(x, m, h);
                put(index, n, g);
                return true;
            }
        }
        return false;
    }

    /** Exchanges share {@code x} on GPU g of node n for a smaller share elsewhere, then places the pod on g. */
    private boolean exchange(int index, int x, int n, int g) {
        OpenbPod pod = arrivals.get(index);
        OpenbPod out = arrivals.get(x);
        int largest = room[n][g] + share(out) - share(pod); // the share g may take back
        for (TreeSet<Integer> sized : bySize.headMap(Math.min(largest, share(out) - 1), true).values()) {
            for (int y : sized) {
                OpenbPod in = arrivals.get(y);
                TraceProblem.Placed at = placed.get(y);
                int m = at.node();
                int h = at.gpus()[0];
                if (room[m][h] + share(in) < share(out)) {
                    break; // the rest have less room still
                }
                if ((m == n && h == g) || !allowed(out, m) || !allowed(in, n)) {
                    continue;
                }
                long cpuN = freeCpu[n] - pod.cpuMilli() + (m == n ? 0 : out.cpuMilli() - in.cpuMilli());
                long memN = freeMem[n] - pod.memoryMib() + (m == n ? 0 : out.memoryMib() - in.memoryMib());
                long cpuM = m == n ? 0 : freeCpu[m] + in.cpuMilli() - out.cpuMilli();
                long memM = m == n ? 0 : freeMem[m] + in.memoryMib() - out.memoryMib();
                if (cpuN >= 0 && memN >= 0 && cpuM >= 0 && memM >= 0) {
                    take(x, n, g);
                    take(y, m, h);
                    put(x, m, h);
                    put(y, n, g);
                    put(index, n, g);
                    return true;
                }
            }
        }
        return false;
    }

    private void take(int pod, int n, int g) {
        unindex(n, g);
        OpenbPod p = arrivals.get(pod);
        room[n][g] += share(p);
        freeCpu[n] += p.cpuMilli();
        freeMem[n] += p.memoryMib();
        shares.get(n).get(g).remove(Integer.valueOf(pod));
        placed.remove(pod);
        index(n, g);
    }

    private void put(int pod, int n, int g) {
        unindex(n, g);
        OpenbPod p = arrivals.get(pod);
        room[n][g] -= share(p);
        freeCpu[n] -= p.cpuMilli();
        freeMem[n] -= p.memoryMib();
        if (p.sharesAGpu()) {
            shares.get(n).get(g).add(pod);
        }
        placed.put(pod, new TraceProblem.Placed(n, new int[]{g}));
        index(n, g);
    }

    /** Takes GPU g of node n and its shares out of the orderings, before its room changes. */
    private void unindex(int n, int g) {
        byRoom.remove(n * stride + g);
        for (int pod : shares.get(n).get(g)) {
            TreeSet<Integer> sized = bySize.get(share(arrivals.get(pod)));
            sized.remove(pod);
        }
    }

    private void index(int n, int g) {
        if (room[n][g] > 0) {
            byRoom.add(n * stride + g);
        }
        for (int pod : shares.get(n).get(g)) {
            bySize.computeIfAbsent(share(arrivals.get(pod)), s -> new TreeSet<>(
                    Comparator.<Integer>comparingInt(p -> -roomOf(p)).thenComparingInt(p -> p))).add(pod);
        }
    }

    private int room(int key) {
        return room[key / stride][key % stride];
    }

    private int roomOf(int pod) {
        TraceProblem.Placed at = placed.get(pod);
        return room[at.node()][at.gpus()[0]];
    }

    private boolean allowed(OpenbPod pod, int node) {
        return pod.gpuSpec().isEmpty() || pod.gpuSpec().contains(nodes.get(node).model());
    }

    private static int share(OpenbPod pod) {
        return pod.milliPerGpu();
    }
}
