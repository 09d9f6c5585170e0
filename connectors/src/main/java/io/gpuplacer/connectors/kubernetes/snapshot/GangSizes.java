package io.gpuplacer.connectors.kubernetes.snapshot;

import java.util.OptionalInt;

/** Port: how many pods a pod group needs at once (its PodGroup's {@code minMember}), where the cluster says. */
public interface GangSizes {

    /** No PodGroups known: gangs need the annotation gpuplacer.io/gang-size. */
    GangSizes NONE = (namespace, group) -> OptionalInt.empty();

    OptionalInt minMember(String namespace, String group);
}
