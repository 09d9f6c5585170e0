package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The FGD protocol's arrival order: pods sorted by name and shuffled with the seed, then inflated with random
 * copies (drawn with replacement) until the requested GPUs reach tune x the cluster's capacity; if the trace
 * already asks for more, random pods are dropped until it does not. Our random numbers are Java's, so compare
 * means over seeds with the published results, not single cells.
 */
public final class Arrivals {

    private Arrivals() {
    }

    public static List<OpenbPod> of(List<OpenbPod> trace, long seed, double tune, long capacityMilliGpu) {
        List<OpenbPod> pods = new ArrayList<>(trace);
        pods.sort(Comparator.comparing(OpenbPod::name));
        Random random = new Random(seed);
        Collections.shuffle(pods, random);
        double target = tune * capacityMilliGpu;
        long requested = pods.stream().mapToLong(OpenbPod::requestedMilliGpu).sum();
        int copies = 0;
        while (requested < target) {
            OpenbPod pick = trace.get(random.nextInt(trace.size()));
            if (requested + pick.requestedMilliGpu() > target) {
                break;
            }
            pods.add(new OpenbPod(pick.name() + "-copy-" + copies++, pick.cpuMilli(), pick.memoryMib(), pick.numGpu(),
                    pick.gpuMilli(), pick.gpuSpec()));
            requested += pick.requestedMilliGpu();
        }
        while (requested > target && !pods.isEmpty()) {
            OpenbPod drop = pods.remove(random.nextInt(pods.size()));
            requested -= drop.requestedMilliGpu();
        }
        return pods;
    }
}
