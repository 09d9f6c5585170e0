package io.gpuplacer.service.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;

/** Jobs' arrivals; append-only. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface JobArrivalRepository extends GenericRepository<JobArrivalRecord, Long> {

    JobArrivalRecord save(JobArrivalRecord arrival);

    boolean existsByJobAndArrivedAtGreaterThan(String job, Instant after);
}
