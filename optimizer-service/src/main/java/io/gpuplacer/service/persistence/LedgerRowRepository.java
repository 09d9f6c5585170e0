package io.gpuplacer.service.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The ledger's rows; append-only (reports read them summed, through LedgerReader). */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface LedgerRowRepository extends GenericRepository<LedgerRowRecord, Long> {

    <S extends LedgerRowRecord> List<S> saveAll(Iterable<S> rows);
}
