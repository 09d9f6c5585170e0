package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Append-only: insert and read, no update or delete. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface AuditEventRepository extends GenericRepository<AuditEventRecord, Long> {

    AuditEventRecord save(AuditEventRecord event);

    @Query("SELECT * FROM audit_event WHERE id < :before ORDER BY id DESC LIMIT :limit")
    List<AuditEventRecord> findPage(long before, int limit);
}
