package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface ClusterActionRepository extends GenericRepository<ClusterActionRecord, Long> {

    ClusterActionRecord save(ClusterActionRecord action);

    ClusterActionRecord update(ClusterActionRecord action);

    @Query("SELECT * FROM cluster_action WHERE id < :before ORDER BY id DESC LIMIT :limit")
    List<ClusterActionRecord> findPage(long before, int limit);

    @Query("SELECT * FROM cluster_action WHERE id < :before AND status = :status ORDER BY id DESC LIMIT :limit")
    List<ClusterActionRecord> findPageByStatus(long before, String status, int limit);

    java.util.Optional<ClusterActionRecord> findByRequestKey(String requestKey);

    /** Of these pods, those with a release applied or dry-run: handled, whichever replica handled them. */
    @Query("SELECT DISTINCT pod_uid FROM cluster_action WHERE kind = :kind AND status IN ('APPLIED', 'DRY_RUN') "
            + "AND pod_uid IN (:uids)")
    List<String> findDone(String kind, java.util.Collection<String> uids);

    @Query("SELECT * FROM cluster_action WHERE status = 'PLANNED' ORDER BY id")
    List<ClusterActionRecord> findPlanned();

    /**
     * The nodes ({@code from,to}, or the node of a preemption) of the evictions applied since then, moves and
     * preemptions: what the disruption budget counts.
     */
    @Query("SELECT nodes FROM cluster_action WHERE kind IN ('EVICT', 'PREEMPT') AND status = 'APPLIED' "
            + "AND updated_at >= :since")
    List<String> findEvictedNodesSince(java.time.Instant since);
}
