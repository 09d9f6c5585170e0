package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** The ledger's rows; append-only. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface LedgerRowRepository extends GenericRepository<LedgerRowRecord, Long> {

    <S extends LedgerRowRecord> List<S> saveAll(Iterable<S> rows);

    @Query("SELECT * FROM ledger_row WHERE hour_start >= :from AND hour_start < :to ORDER BY hour_start, id")
    List<LedgerRowRecord> findHours(Instant from, Instant to);
}
