package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** Fetches are inserted and read; only retention deletes old ones. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface SignalFetchRepository extends GenericRepository<SignalFetchRecord, Long> {

    SignalFetchRecord save(SignalFetchRecord fetch);

    @Query("SELECT * FROM signal_fetch WHERE zone = :zone AND signal_kind = :signalKind AND provider = :provider "
            + "ORDER BY id DESC LIMIT 1")
    Optional<SignalFetchRecord> findLatest(String zone, String signalKind, String provider);

    @Query("SELECT * FROM signal_fetch WHERE zone = :zone AND signal_kind = :signalKind AND provider = :provider "
            + "AND ok = TRUE ORDER BY id DESC LIMIT 1")
    Optional<SignalFetchRecord> findLatestSuccess(String zone, String signalKind, String provider);

    /** Grows with every fetch any replica stores: what followers poll. */
    @Query("SELECT COALESCE(MAX(id), 0) FROM signal_fetch")
    long findNewestId();

    @Query("DELETE FROM signal_fetch WHERE retrieved_at < :cut")
    int deleteOlderThan(Instant cut);
}
