package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.errors.OutOfOrderSnapshotException;
import org.slf4j.Logger;

/**
 * A connector's snapshot put in force by the leader, as a cluster PUT by the connector would: one that does not read
 * or comes out of order leaves the state in force as it is, and says why in the connector's log.
 */
public final class SnapshotInForce {

    private SnapshotInForce() {
    }

    /** Whether the snapshot is now in force. */
    public static boolean put(ClusterState state, JsonNode cluster, String author, Logger log) {
        try {
            state.replaceCluster(cluster, author);
            return true;
        } catch (InputException e) {
            log.error("{}: the snapshot does not read ({}); the state in force stays", author, e.getMessage());
        } catch (OutOfOrderSnapshotException e) {
            log.warn("{}: {}", author, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: the snapshot could not be stored ({}); the next one brings another", author,
                    e.getClass().getSimpleName());
        }
        return false;
    }
}
