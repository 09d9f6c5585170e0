package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The packing bound on hand-computed cases. */
class PackingBoundTest {

    @Test
    void aShareTooBigToPairLeavesItsRemnantFree() {
        // Two 810s each hold a GPU alone: 2 x 190 free of 4 GPUs, 90.5% at most.
        PackingBound.Result r = PackingBound.of(4000, Map.of(810, 2), Map.of());
        assertThat(r.status()).isEqualTo(PackingBound.Status.FOUND);
        assertThat(r.minFreeMilli()).isCloseTo(380, within(1e-6));
        assertThat(r.maxAllocationPercent()).isCloseTo(90.5, within(1e-9));
    }

    @Test
    void optionalSharesFillRemnantsOnlyWhereTheyFit() {
        // A 190 may join one 810; the other keeps its 190. A 200 fits beside no 810.
        assertThat(PackingBound.of(4000, Map.of(810, 2), Map.of(190, 1, 200, 3)).minFreeMilli())
                .isCloseTo(190, within(1e-6));
        // 700+300 fills a GPU, 700+200 leaves 100: only one 300 may run.
        assertThat(PackingBound.of(4000, Map.of(700, 2), Map.of(300, 1, 200, 1)).minFreeMilli())
                .isCloseTo(100, within(1e-6));
        // Required shares that fill GPUs exactly leave nothing.
        assertThat(PackingBound.of(4000, Map.of(600, 1, 300, 1), Map.of(100, 2)).minFreeMilli())
                .isCloseTo(0, within(1e-6));
    }

    @Test
    void optionalSharesNeedNotRun() {
        // Running the optional 900 would leave 100 free; leaving it out leaves nothing (whole-GPU pods fill the rest).
        assertThat(PackingBound.of(2000, Map.of(), Map.of(900, 1)).maxAllocationPercent()).isEqualTo(100.0);
    }

    @Test
    void theReplayFormsCountOnlyGpuSharingPods() {
        List<OpenbPod> arrivals = new ArrayList<>();
        arrivals.add(pod(1, 810));      // running
        arrivals.add(pod(1, 1000));     // a whole GPU: not a share
        arrivals.add(pod(0, 0));        // CPU only
        arrivals.add(pod(1, 810));      // failed: may run
        arrivals.add(pod(1, 810));      // not arrived yet
        // After 4 arrivals with the first running: one 810 must run (190 free), the other need not.
        assertThat(PackingBound.of(3000, arrivals, 4, i -> i == 0).minFreeMilli()).isCloseTo(190, within(1e-6));
        // Every share among the first 4 must run: two 810s; the fifth may be left out.
        assertThat(PackingBound.ofPrefix(3000, arrivals, 4, 5).minFreeMilli()).isCloseTo(380, within(1e-6));
    }

    @Test
    void tooManyWaysToFillAGpuLeaveTheBoundUnknown() {
        Map<Integer, Integer> fine = new java.util.HashMap<>();
        for (int size = 10; size <= 400; size += 3) {
            fine.put(size, 100);
        }
        PackingBound.Result r = PackingBound.of(100_000, fine, Map.of());
        assertThat(r.status()).isEqualTo(PackingBound.Status.TOO_MANY_PATTERNS);
        assertThat(r.maxAllocationPercent()).isNaN();
        assertThat(r.patterns()).isGreaterThan(PackingBound.MAX_PATTERNS);
    }

    @Test
    void requiredSharesThatDoNotFitHaveNoBound() {
        // Three 600s need three GPUs.
        PackingBound.Result none = PackingBound.of(2000, Map.of(600, 3), Map.of());
        assertThat(none.status()).isEqualTo(PackingBound.Status.REQUIRED_DO_NOT_FIT);
        assertThat(none.maxAllocationPercent()).isNaN();
        assertThat(PackingBound.of(3000, Map.of(600, 3), Map.of()).minFreeMilli()).isCloseTo(1200, within(1e-6));
    }

    @Test
    void aShareOutsideOneGpuIsRejected() {
        assertThatThrownBy(() -> PackingBound.of(1000, Map.of(1000, 1), Map.of()))
                .hasMessageContaining("1..999 milli, not 1000");
    }

    private static OpenbPod pod(int gpus, int milli) {
        return new OpenbPod("p", 1000, 1024, gpus, milli, List.of());
    }
}
