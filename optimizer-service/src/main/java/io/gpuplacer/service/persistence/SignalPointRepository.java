package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface SignalPointRepository extends GenericRepository<SignalPointRecord, Long> {

    <S extends SignalPointRecord> List<S> saveAll(Iterable<S> points);

    @Query("SELECT * FROM signal_point WHERE fetch_id = :fetchId ORDER BY starts_at")
    List<SignalPointRecord> findByFetch(long fetchId);

    @Query("DELETE FROM signal_point WHERE fetch_id IN (SELECT id FROM signal_fetch WHERE retrieved_at < :cut)")
    int deleteOlderThan(Instant cut);
}
