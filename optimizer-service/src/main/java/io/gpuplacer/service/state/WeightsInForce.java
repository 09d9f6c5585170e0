package io.gpuplacer.service.state;

import io.gpuplacer.constraints.WeightCatalogue;

/**
 * The weights in force, which the oracle's view is built with. The weights use case (history, validation, preview,
 * optimistic concurrency) keeps them and sits above the state; the state only reads them.
 */
public interface WeightsInForce {

    /** The version and its values, read together. */
    InForce inForce();

    /** One version of the weights. */
    interface InForce {
        long version();

        WeightCatalogue.Weights weights();
    }
}
