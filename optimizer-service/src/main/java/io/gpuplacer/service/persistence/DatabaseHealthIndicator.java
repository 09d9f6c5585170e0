package io.gpuplacer.service.persistence;

import io.micronaut.health.HealthStatus;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code /health} details {@code jdbc}: UP with the database's product and version, or DOWN with the kind of error.
 * It replaces Micronaut's JDBC indicator (switched off in application.yml), whose details are keyed by the JDBC
 * URL, which may carry a password, and would show it to every caller with a token.
 */
@Singleton
@Readiness
public class DatabaseHealthIndicator implements HealthIndicator {

    private final DataSource dataSource;
    private final ExecutorService workers;

    public DatabaseHealthIndicator(DataSource dataSource, DataSourceResolver resolver,
                                   @Named(TaskExecutors.BLOCKING) ExecutorService workers) {
        this.dataSource = resolver.resolve(dataSource); // the pool itself, not the transaction-aware proxy
        this.workers = workers;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.fromExecutorService(workers));
    }

    private HealthResult check() {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            boolean valid = c.isValid(2);
            return HealthResult.builder("jdbc", valid ? HealthStatus.UP : HealthStatus.DOWN).details(Map.of(
                    "database", meta.getDatabaseProductName(), "version", meta.getDatabaseProductVersion())).build();
        } catch (SQLException | RuntimeException e) {
            return HealthResult.builder("jdbc", HealthStatus.DOWN).details(Map.of("error",
                    e.getClass().getSimpleName())).build();
        }
    }
}
