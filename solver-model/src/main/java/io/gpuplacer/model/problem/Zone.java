package io.gpuplacer.model.problem;

/** A grid zone: carbon intensity and power price are per zone. */
public record Zone(int index, String id, double pue) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && z.index == index && z.id.equals(id);
    }

    @Override
    public int hashCode() {
        return index;
    }
}
