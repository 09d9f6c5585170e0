package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.model.layout.FragmentationMeter;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The published baselines, re-implemented from the FGD paper's description: Random, BestFit and FGD. */
final class BaselinePolicies {

    private BaselinePolicies() {
    }

    /** A random node that fits; for a shared pod, a random GPU with room. */
    static SimPolicy random(long seed) {
        Random random = new Random(seed);
        return (pod, index, cluster) -> {
            List<Integer> fit = new ArrayList<>();
            for (int n = 0; n < cluster.nodes.size(); n++) {
                if (cluster.fits(pod, n)) {
                    fit.add(n);
                }
            }
            if (fit.isEmpty()) {
                return null;
            }
            int node = fit.get(random.nextInt(fit.size()));
            if (pod.numGpu() == 0 || pod.gpuMilli() >= 1000) {
                return new SimPolicy.Choice(node, pod.numGpu() == 0 ? new int[0] : cluster.wholeGpus(pod, node));
            }
            List<Integer> gpus = new ArrayList<>();
            int[] free = cluster.freeGpu[node];
            for (int g = 0; g < free.length; g++) {
                if (free[g] >= pod.gpuMilli()) {
                    gpus.add(g);
                }
            }
            return new SimPolicy.Choice(node, new int[]{gpus.get(random.nextInt(gpus.size()))});
        };
    }

    /** The node with the least GPU (then CPU) left after the pod; for a shared pod, the fullest GPU with room. */
    static SimPolicy bestFit() {
        return (pod, index, cluster) -> {
            int best = -1;
            long bestGpu = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            for (int n = 0; n < cluster.nodes.size(); n++) {
                if (!cluster.fits(pod, n)) {
                    continue;
                }
                long gpuLeft = -pod.requestedMilliGpu();
                for (int f : cluster.freeGpu[n]) {
                    gpuLeft += f;
                }
                long cpuLeft = cluster.freeCpu[n] - pod.cpuMilli();
                if (gpuLeft < bestGpu || gpuLeft == bestGpu && cpuLeft < bestCpu) {
                    best = n;
                    bestGpu = gpuLeft;
                    bestCpu = cpuLeft;
                }
            }
            if (best < 0) {
                return null;
            }
            return new SimPolicy.Choice(best, gpusByBestFit(pod, best, cluster));
        };
    }

    static int[] gpusByBestFit(OpenbPod pod, int node, SimCluster cluster) {
        if (pod.numGpu() == 0) {
            return new int[0];
        }
        if (pod.gpuMilli() >= 1000) {
            return cluster.wholeGpus(pod, node);
        }
        int[] free = cluster.freeGpu[node];
        int best = -1;
        for (int g = 0; g < free.length; g++) {
            if (free[g] >= pod.gpuMilli() && (best < 0 || free[g] < free[best])) {
                best = g;
            }
        }
        return new int[]{best};
    }

    /**
     * FGD: the node and GPU whose fragmentation (for the workload's typical pods) grows the least by taking the
     * pod. Fragmentation per node is cached and recomputed only for the node that changed.
     */
    static SimPolicy fgd(WorkloadProfile profile) {
        return new SimPolicy() {
            private double[] before;

            @Override
            public Choice choose(OpenbPod pod, int index, SimCluster cluster) {
                if (before == null) {
                    before = new double[cluster.nodes.size()];
                    for (int n = 0; n < before.length; n++) {
                        before[n] = FragmentationMeter.fragmentationOf(cluster.freeGpu[n], cluster.freeCpu[n],
                                cluster.nodes.get(n).model(), profile);
                    }
                }
                int bestNode = -1;
                int[] bestGpus = null;
                double bestDelta = Double.MAX_VALUE;
                for (int n = 0; n < cluster.nodes.size(); n++) {
                    if (!cluster.fits(pod, n)) {
                        continue;
                    }
                    for (int[] gpus : candidates(pod, n, cluster)) {
                        int[] free = cluster.freeGpu[n].clone();
                        for (int g : gpus) {
                            free[g] -= pod.milliPerGpu();
                        }
                        double delta = FragmentationMeter.fragmentationOf(free, cluster.freeCpu[n] - pod.cpuMilli(),
                                cluster.nodes.get(n).model(), profile) - before[n];
                        if (delta < bestDelta) {
                            bestDelta = delta;
                            bestNode = n;
                            bestGpus = gpus;
                        }
                    }
                }
                if (bestNode < 0) {
                    return null;
                }
                int node = bestNode;
                int[] free = cluster.freeGpu[node].clone();
                for (int g : bestGpus) {
                    free[g] -= pod.milliPerGpu();
                }
                before[node] = FragmentationMeter.fragmentationOf(free, cluster.freeCpu[node] - pod.cpuMilli(),
                        cluster.nodes.get(node).model(), profile);
                return new Choice(node, bestGpus);
            }
        };
    }

    private static List<int[]> candidates(OpenbPod pod, int node, SimCluster cluster) {
        if (pod.numGpu() == 0) {
            return List.of(new int[0]);
        }
        if (pod.gpuMilli() >= 1000) {
            return List.of(cluster.wholeGpus(pod, node));
        }
        List<int[]> out = new ArrayList<>();
        int[] free = cluster.freeGpu[node];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int g = 0; g < free.length; g++) {
            if (free[g] >= pod.gpuMilli() && seen.add(free[g])) { // GPUs with the same free part are equivalent
                out.add(new int[]{g});
            }
        }
        return out;
    }
}
