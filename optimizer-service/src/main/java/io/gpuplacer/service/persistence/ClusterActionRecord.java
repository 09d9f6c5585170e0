package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * One action on a cluster (V7 cluster_action): what, on which pod, to which nodes, when, and how it went; a GATE
 * action also the admission request it answered (V12, unique: a replay records nothing more); a RELEASE the pod's
 * UID (V15); a PREEMPT the job it makes room for, Kueue's reason, the victim's queue and the GPU-hours it loses
 * (V16).
 */
@MappedEntity("cluster_action")
public record ClusterActionRecord(@Id @GeneratedValue @Nullable Long id, Instant createdAt, Instant updatedAt,
                                  String kind, String target, @Nullable String job, @Nullable String nodes,
                                  @Nullable Instant dueAt, String status, @Nullable String reason, int attempts,
                                  @Nullable String requestKey, @Nullable String podUid,
                                  @Nullable String forJob, @Nullable String preemptionReason,
                                  @Nullable String victimQueue, @Nullable Double lostGpuHours) {

    public ClusterActionRecord with(Instant now, String newNodes, String newStatus, String newReason) {
        return new ClusterActionRecord(id, createdAt, now, kind, target, job, newNodes, dueAt, newStatus, newReason,
                attempts + 1, requestKey, podUid, forJob, preemptionReason, victimQueue, lostGpuHours);
    }
}
