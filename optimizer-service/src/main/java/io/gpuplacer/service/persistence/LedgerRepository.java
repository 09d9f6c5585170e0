package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The ledger's snapshots; append-only. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface LedgerRepository extends GenericRepository<LedgerSnapshotRecord, Long> {

    LedgerSnapshotRecord save(LedgerSnapshotRecord snapshot);

    /** The newest snapshot, locked until the transaction ends: two replicas record one after the other. */
    @Query("SELECT * FROM ledger_snapshot ORDER BY observed_at DESC, id DESC LIMIT 1 FOR UPDATE")
    Optional<LedgerSnapshotRecord> findNewestForUpdate();
}
