package io.gpuplacer.service.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Zone-hours of the ledger's intervals; append-only. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface LedgerZoneHourRepository extends GenericRepository<LedgerZoneHourRecord, Long> {

    <S extends LedgerZoneHourRecord> List<S> saveAll(Iterable<S> rows);
}
