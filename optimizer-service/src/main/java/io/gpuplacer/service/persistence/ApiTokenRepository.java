package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface ApiTokenRepository extends CrudRepository<ApiTokenRecord, String> {

    @Query("SELECT * FROM api_token ORDER BY name")
    List<ApiTokenRecord> findAllByName();
}
