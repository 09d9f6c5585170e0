package io.gpuplacer.model.problem;

import io.gpuplacer.model.layout.FragmentationMeter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The profile's stranding ratio and model pressure, and what they add to FGD's measure (hand-computed). */
class WorkloadProfileTest {

    private static final Map<String, Long> CAPACITY = new LinkedHashMap<>(Map.of("T4", 2000L, "G2", 8000L));

    @Test
    void pressureIsEachModelsShareOfDemandOverItsShareOfCapacity() {
        // 4 whole GPUs that may only use T4, 6 that may use any model (split 1:4 by capacity: 1.2 T4, 4.8 G2).
        List<WorkloadProfile.Shape> shapes = List.of(
                new WorkloadProfile.Shape(GpuDemand.whole(1), 10_000, List.of("T4"), 4),
                new WorkloadProfile.Shape(GpuDemand.whole(1), 10_000, List.of(), 6),
                new WorkloadProfile.Shape(GpuDemand.none(), 50_000, List.of(), 3));
        WorkloadProfile profile = WorkloadProfile.fromShapes(shapes).withDemand(shapes, CAPACITY);
        // Demand 10 GPUs on 10 of capacity: T4 5.2 of 2 -> 2.6; G2 4.8 of 8 -> 0.6.
        assertThat(profile.pressure("T4")).isCloseTo(2.6, within(1e-9));
        assertThat(profile.pressure("G2")).isCloseTo(0.6, within(1e-9));
        assertThat(profile.pressure("A100")).isEqualTo(1.0);
        // GPU work asks 10,000 milli-GPU for 100,000 milli-CPU; CPU-only work does not count.
        assertThat(profile.gpuMilliPerCpuMilli()).isCloseTo(0.1, within(1e-12));
        assertThat(new WorkloadProfile(profile.classes()).gpuMilliPerCpuMilli()).isZero();
    }

    @Test
    void strandedCapacityAndContentionAddToTheMeasure() {
        // One class: 1 whole GPU with 10 cores, any model, on a 4-GPU node.
        List<WorkloadProfile.DemandClass> oneGpu = List.of(
                new WorkloadProfile.DemandClass(GpuKind.WHOLE, 1, 10_000, List.of(), 1.0));
        WorkloadProfile fgd = new WorkloadProfile(oneGpu);
        WorkloadProfile extended = new WorkloadProfile(oneGpu, 0.1, Map.of("T4", 2.5, "G2", 0.5));
        int[] free = {0, 1000, 1000, 1000};
        // 3 GPUs free, 15 cores free: the next 1-GPU task fits (FGD: 0), but 15 cores feed 1.5 GPUs: 1500 stranded.
        assertThat(FragmentationMeter.fragmentationOf(free, 15_000, "A100", fgd)).isZero();
        assertThat(FragmentationMeter.fragmentationOf(free, 15_000, "A100", extended)).isEqualTo(1500.0);
        // With 40 cores nothing is stranded; one GPU in use on a model at pressure 2.5 costs (2.5 - 1) x 1000,
        // at pressure 0.5 it earns 500.
        assertThat(FragmentationMeter.fragmentationOf(free, 40_000, "T4", extended)).isEqualTo(1500.0);
        assertThat(FragmentationMeter.fragmentationOf(free, 40_000, "G2", extended)).isEqualTo(-500.0);
        // A node with too little CPU for the class: FGD counts all free GPU; stranding adds the part 5 cores
        // cannot feed (3000 - 500).
        assertThat(FragmentationMeter.fragmentationOf(free, 5_000, "A100", fgd)).isEqualTo(3000.0);
        assertThat(FragmentationMeter.fragmentationOf(free, 5_000, "A100", extended)).isEqualTo(5500.0);
    }
}
