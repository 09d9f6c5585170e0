package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface OptimizationRunRepository extends CrudRepository<OptimizationRunRecord, String> {

    /** The latest runs, newest first, without their plans and queues (a listing stays small). */
    @Query("SELECT id, status, seconds, job_count, task_count, weights_version, '' AS jobs_doc, score, "
            + "NULL AS plan, error, created_at, finished_at, owner, cancel_requested FROM optimization_run "
            + "ORDER BY created_at DESC LIMIT :limit")
    List<OptimizationRunRecord> findRecent(int limit);

    List<OptimizationRunRecord> findByStatus(String status);

    /**
     * Stores a solving run's best plan so far: only those two columns (the queue stays as written), and only while
     * the run is SOLVING, so a checkpoint can never overwrite a run's end. Returns the rows changed (0 or 1).
     */
    @Query("UPDATE optimization_run SET score = :score, plan = :plan WHERE id = :id AND status = 'SOLVING'")
    int storeCheckpoint(String id, String score, String plan);

    /** Asks the replica solving the run to stop it (it looks every gpuplacer.sync-seconds); 0 when it is not solving. */
    @Query("UPDATE optimization_run SET cancel_requested = TRUE WHERE id = :id AND status = 'SOLVING'")
    int requestCancel(String id);

    /** The runs a replica solves whose stop was asked through another one. */
    @Query("SELECT id FROM optimization_run WHERE status = 'SOLVING' AND cancel_requested = TRUE AND owner = :owner")
    List<String> findCancelRequested(String owner);

    /** Runs solving or waiting on every replica. */
    @Query("SELECT COUNT(*) FROM optimization_run WHERE status = 'SOLVING'")
    long countSolving();

    /** Deletes the runs that ended before the instant (never one still solving); returns how many. */
    @Query("DELETE FROM optimization_run WHERE finished_at IS NOT NULL AND finished_at < :before")
    int deleteFinishedBefore(Instant before);
}
