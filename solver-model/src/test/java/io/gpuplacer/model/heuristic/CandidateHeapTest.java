package io.gpuplacer.model.heuristic;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The heap hands out candidates in the order a stable sort on (strands, cost, free) gives them. */
class CandidateHeapTest {

    @RepeatedTest(200)
    void ordersAsAStableSortOfItsKeys(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        int size = random.nextInt(60);
        boolean[] strands = new boolean[size];
        double[] cost = new double[size];
        long[] free = new long[size];
        // Few distinct values, so that ties on every key are common, as among nodes of one shape.
        for (int i = 0; i < size; i++) {
            strands[i] = random.nextInt(4) == 0;
            cost[i] = random.nextInt(3) == 0 ? 0.0 : random.nextInt(4) * 1.5;
            free[i] = random.nextInt(3) * 1000L;
        }
        List<Integer> passing = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (random.nextInt(5) > 0) {
                passing.add(i);
            }
        }
        List<Integer> sorted = new ArrayList<>(passing);
        sorted.sort(Comparator.<Integer, Boolean>comparing(i -> strands[i]).thenComparingDouble(i -> cost[i])
                .thenComparingLong(i -> free[i]));

        int[] positions = passing.stream().mapToInt(Integer::intValue).toArray();
        CandidateHeap heap = new CandidateHeap(positions, positions.length, strands, cost, free);
        List<Integer> handedOut = new ArrayList<>();
        for (int i = heap.next(); i >= 0; i = heap.next()) {
            handedOut.add(i);
        }
        assertThat(handedOut).containsExactlyElementsOf(sorted);
        assertThat(heap.next()).isEqualTo(-1);
    }
}
