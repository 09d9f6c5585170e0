package io.gpuplacer.connectors.signals;

import java.time.Instant;
import java.util.List;

/**
 * A provider of one signal for one zone: the hours from {@code from} (inclusive, an hour boundary) for up to
 * {@code hours} hours that it has, oldest first, each hour once. Fewer hours than asked is not an error (the
 * caller fills the rest and marks them estimated); a payload that does not read is, as a whole.
 */
public interface SignalSource {

    /** The provider's name as configuration and reports spell it, e.g. {@code uk-carbon-intensity}. */
    String provider();

    List<SignalPoint> fetch(Instant from, int hours) throws SourceException;
}
