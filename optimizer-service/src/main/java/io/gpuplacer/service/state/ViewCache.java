package io.gpuplacer.service.state;

import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.problem.Problem;

import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The oracle's view of the documents in force, the weights and the hour, built once per change of any of them and
 * then only read. Its lock guards the rebuild and the swap of new documents with their view, so that a request
 * never sees new documents with an old view; it is not the lock of the database writes, so a rebuild never waits
 * for one, nor a write for a rebuild.
 */
final class ViewCache {

    // What a view was built from; the documents by a counter, since comparing them would walk both trees.
    private record Key(long stateVersion, long weightsVersion, Instant now) {
    }

    /** A view with what it was built from, published together. */
    private record Built(Key key, OracleView view) {
    }

    private final WeightsInForce weights;
    private final Object lock = new Object();
    private volatile Built built;

    ViewCache(WeightsInForce weights) {
        this.weights = weights;
    }

    /**
     * Makes new documents current ({@code swap}, under the lock) with their view, built from {@code base}, already
     * validated (the hot path need not read them again).
     */
    ClusterState.Documents publish(Supplier<ClusterState.Documents> swap, Problem base, Instant hour) {
        synchronized (lock) {
            ClusterState.Documents next = swap.get();
            WeightsInForce.InForce w = weights.inForce();
            Key key = new Key(next.version(), w.version(), hour);
            built = new Built(key, viewOf(base, key, w.weights()));
            return next;
        }
    }

    /**
     * The view of the current documents, weights and hour; rebuilt when any of them changed (when only the weights
     * did, from the problem already read, else from {@code read}).
     */
    OracleView view(Supplier<ClusterState.Documents> documents, Supplier<Instant> hour,
                    BiFunction<ClusterState.Documents, Instant, Problem> read) {
        Built b = built;
        if (b != null && b.key().equals(new Key(documents.get().version(), weights.inForce().version(), hour.get()))) {
            return b.view();
        }
        synchronized (lock) {
            // Read again under the lock: a replacement may have published a newer view meanwhile.
            WeightsInForce.InForce w = weights.inForce();
            ClusterState.Documents current = documents.get();
            Key key = new Key(current.version(), w.version(), hour.get());
            b = built;
            if (b == null || !b.key().equals(key)) {
                boolean sameProblem = b != null && b.key().stateVersion() == key.stateVersion()
                        && b.key().now().equals(key.now());
                Problem base = sameProblem ? b.view().base() : read.apply(current, key.now());
                b = new Built(key, viewOf(base, key, w.weights()));
                built = b;
            }
            return b.view();
        }
    }

    private static OracleView viewOf(Problem base, Key key, WeightCatalogue.Weights w) {
        return new OracleView(base, () -> new PlacementOracle(SolutionFactory.build(base, w.costModel(),
                w.overrides())), key.weightsVersion());
    }
}
