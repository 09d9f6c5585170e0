package io.gpuplacer.service.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Queue-hours of the ledger's intervals; append-only. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface LedgerQueueHourRepository extends GenericRepository<LedgerQueueHourRecord, Long> {

    <S extends LedgerQueueHourRecord> List<S> saveAll(Iterable<S> rows);
}
