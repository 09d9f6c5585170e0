package io.gpuplacer.model.problem;

/** A grid zone with its carbon and price series: both signals are per zone. */
public record Zone(int index, String id, double pue, SignalSeries signals) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && z.index == index && z.id.equals(id);
    }

    @Override
    public int hashCode() {
        return index;
    }
}
