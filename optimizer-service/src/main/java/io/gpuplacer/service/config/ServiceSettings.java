package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The service's own settings ({@code gpuplacer.*} in application.yml, or {@code GPUPLACER_*} environment
 * variables), validated at start-up: a value out of range stops the service (Micronaut logs the error and exits
 * with 1) with a message naming the key, its environment variable and the valid range.
 *
 * @param horizonHours        the oracle's look-ahead; slot 0 is the current hour (1..168)
 * @param optimizationThreads optimization runs solved at once; more wait their turn (1..64)
 * @param loadExample         serve the bundled example cluster and signals until the first PUT
 * @param checkpointSeconds   a solving run stores its best plan at most this often, so a crash loses no more
 * @param maxActiveRuns       optimization runs solving or waiting at once; one more is answered 429
 * @param maxRecommendationTasks the largest gang a recommendation takes (tasks of one job)
 * @param runRetentionDays    finished optimization runs are deleted this many days after they ended
 * @param recommendationBudgetMillis a recommendation searches at most this long, then answers with what it found
 * @param rateLimitPerSecond  requests per second one principal may make on average (0: no limit)
 * @param rateLimitBurst      requests one principal may make at once above that average
 * @param stateRetentionDays  cluster and signals versions older than this are deleted (never the one in force)
 * @param dataDir             where the first admin token is written (and, by default, the embedded database)
 */
@ConfigurationProperties("gpuplacer")
public record ServiceSettings(
        @Bindable(defaultValue = "48")
        @Min(value = 1, message = "gpuplacer.horizon-hours (GPUPLACER_HORIZON_HOURS) must be 1..168")
        @Max(value = 168, message = "gpuplacer.horizon-hours (GPUPLACER_HORIZON_HOURS) must be 1..168")
        int horizonHours,
        @Bindable(defaultValue = "1")
        @Min(value = 1, message = "gpuplacer.optimization-threads (GPUPLACER_OPTIMIZATION_THREADS) must be 1..64")
        @Max(value = 64, message = "gpuplacer.optimization-threads (GPUPLACER_OPTIMIZATION_THREADS) must be 1..64")
        int optimizationThreads,
        @Bindable(defaultValue = "true") boolean loadExample,
        @Bindable(defaultValue = "10")
        @Min(value = 1, message = "gpuplacer.checkpoint-seconds (GPUPLACER_CHECKPOINT_SECONDS) must be 1..3600")
        @Max(value = 3600, message = "gpuplacer.checkpoint-seconds (GPUPLACER_CHECKPOINT_SECONDS) must be 1..3600")
        int checkpointSeconds,
        @Bindable(defaultValue = "8")
        @Min(value = 1, message = "gpuplacer.max-active-runs (GPUPLACER_MAX_ACTIVE_RUNS) must be 1..1000")
        @Max(value = 1000, message = "gpuplacer.max-active-runs (GPUPLACER_MAX_ACTIVE_RUNS) must be 1..1000")
        int maxActiveRuns,
        @Bindable(defaultValue = "1000")
        @Min(value = 1, message = "gpuplacer.max-recommendation-tasks (GPUPLACER_MAX_RECOMMENDATION_TASKS) must be "
                + "1..10000")
        @Max(value = 10000, message = "gpuplacer.max-recommendation-tasks (GPUPLACER_MAX_RECOMMENDATION_TASKS) must "
                + "be 1..10000")
        int maxRecommendationTasks,
        @Bindable(defaultValue = "90")
        @Min(value = 1, message = "gpuplacer.run-retention-days (GPUPLACER_RUN_RETENTION_DAYS) must be 1..36500")
        @Max(value = 36500, message = "gpuplacer.run-retention-days (GPUPLACER_RUN_RETENTION_DAYS) must be 1..36500")
        int runRetentionDays,
        @Bindable(defaultValue = "1000")
        @Min(value = 1, message = "gpuplacer.recommendation-budget-millis (GPUPLACER_RECOMMENDATION_BUDGET_MILLIS) "
                + "must be 1..60000")
        @Max(value = 60000, message = "gpuplacer.recommendation-budget-millis (GPUPLACER_RECOMMENDATION_BUDGET_MILLIS) "
                + "must be 1..60000")
        int recommendationBudgetMillis,
        @Bindable(defaultValue = "5000")
        @Min(value = 0, message = "gpuplacer.rate-limit-per-second (GPUPLACER_RATE_LIMIT_PER_SECOND) must be "
                + "0..1000000 (0: no limit)")
        @Max(value = 1000000, message = "gpuplacer.rate-limit-per-second (GPUPLACER_RATE_LIMIT_PER_SECOND) must be "
                + "0..1000000 (0: no limit)")
        int rateLimitPerSecond,
        @Bindable(defaultValue = "10000")
        @Min(value = 1, message = "gpuplacer.rate-limit-burst (GPUPLACER_RATE_LIMIT_BURST) must be 1..1000000")
        @Max(value = 1000000, message = "gpuplacer.rate-limit-burst (GPUPLACER_RATE_LIMIT_BURST) must be 1..1000000")
        int rateLimitBurst,
        @Bindable(defaultValue = "90")
        @Min(value = 1, message = "gpuplacer.state-retention-days (GPUPLACER_STATE_RETENTION_DAYS) must be 1..36500")
        @Max(value = 36500, message = "gpuplacer.state-retention-days (GPUPLACER_STATE_RETENTION_DAYS) must be "
                + "1..36500")
        int stateRetentionDays,
        @Bindable(defaultValue = "./data") String dataDir) {
}
