package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Versions are inserted and read; only retention deletes old ones, never the newest of a kind. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface StateVersionRepository extends GenericRepository<StateVersionRecord, Long> {

    StateVersionRecord save(StateVersionRecord version);

    Optional<StateVersionRecord> findById(long id);

    /** The version in force of a kind: its newest. */
    @Query("SELECT * FROM state_version WHERE kind = :kind ORDER BY id DESC LIMIT 1")
    Optional<StateVersionRecord> findNewest(String kind);

    /** The version of a kind in force at an instant: the newest stored at or before it. */
    @Query("SELECT * FROM state_version WHERE kind = :kind AND created_at <= :at ORDER BY id DESC LIMIT 1")
    Optional<StateVersionRecord> findInForceAt(String kind, Instant at);

    /** The listing, without bodies (they can be megabytes). */
    @Query("SELECT id, kind, '' AS body, NULL AS body_gz, created_by, created_at, restored_from FROM state_version "
            + "WHERE kind = :kind AND id < :before ORDER BY id DESC LIMIT :limit")
    List<StateVersionRecord> findPage(String kind, long before, int limit);

    /** The newest version of a kind: what replicas poll to learn that the state changed elsewhere. */
    @Query("SELECT COALESCE(MAX(id), 0) FROM state_version WHERE kind = :kind")
    long findNewestId(String kind);

    /** Retention: versions older than the cut, but never the newest of its kind (the one in force). */
    @Query("DELETE FROM state_version WHERE created_at < :cut AND id NOT IN (SELECT newest FROM (SELECT MAX(id) AS "
            + "newest FROM state_version GROUP BY kind) AS keep)")
    int deleteOlderThan(Instant cut);
}
