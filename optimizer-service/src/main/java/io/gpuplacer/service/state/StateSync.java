package io.gpuplacer.service.state;

import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * The state's own schedule. Picks up a cluster or signals stored by another replica (or restored) since this one last looked: two cheap
 * queries every {@code gpuplacer.sync-seconds}, the newest version of each kind compared with the one in memory;
 * while the database is away the state in memory stays in force. Per kind, not the newest id of the table: a
 * cluster insert still committing when a later signals insert committed would be skipped for good. And builds the
 * view when the hour turns, off the request threads.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
class StateSync {

    private final ClusterState state;

    StateSync(ClusterState state) {
        this.state = state;
    }

    @Scheduled(fixedDelay = "${gpuplacer.sync-seconds:2}s", initialDelay = "${gpuplacer.sync-seconds:2}s")
    void syncFromDatabase() {
        state.syncFromDatabase();
    }

    /** Builds the view of a new hour (or new weights) ahead of the requests that would otherwise wait for it. */
    @Scheduled(fixedDelay = "${gpuplacer.view-refresh:20s}", initialDelay = "${gpuplacer.view-refresh:20s}")
    void refreshView() {
        state.view();
    }
}
