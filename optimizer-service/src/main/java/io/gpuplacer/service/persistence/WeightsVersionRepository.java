package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface WeightsVersionRepository extends CrudRepository<WeightsVersionRecord, Long> {

    @Query("SELECT * FROM weights_version ORDER BY version DESC LIMIT 1")
    Optional<WeightsVersionRecord> findLatest();

    @Query("SELECT * FROM weights_version ORDER BY version")
    List<WeightsVersionRecord> findHistory();
}
