package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.kubernetes.zones}: which grid zone (and PUE) a {@code topology.kubernetes.io/zone}
 * lies in; {@code *} stands for every zone not listed. A list, so that zone ids keep their case.
 *
 * @param index        the entry's place in the list
 * @param topologyZone the node label's value, or {@code *}
 * @param zone         the grid zone of the signals
 * @param pue          the data centre's power usage effectiveness (1..10; default 1)
 */
public record KubernetesZone(int index, @Nullable String topologyZone, @Nullable String zone,
                             @Nullable Double pue) {

    public static final String LIST = "gpuplacer.kubernetes.zones";

    public KubernetesZone {
        String where = LIST + "[" + index + "]";
        topologyZone = ListEntries.required(where, "topology-zone", topologyZone);
        zone = ListEntries.required(where, "zone", zone);
        pue = ListEntries.within(where, "pue", pue, 1, 10, 1.0);
    }
}
