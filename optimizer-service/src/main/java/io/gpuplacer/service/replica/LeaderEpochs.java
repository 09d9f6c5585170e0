package io.gpuplacer.service.replica;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The leader's fencing token in the database (V10 leader_epoch): an epoch that grows by one with every new leader.
 * A leader-only write runs in a transaction that first locks the row and goes on only while the epoch is still the
 * writer's, so a write of a replica that lost the leadership without noticing (stalled past its lock's timeout)
 * either committed before the new leader's epoch was taken, or is refused.
 */
@Singleton
public class LeaderEpochs {

    private final TransactionOperations<Connection> transactions;

    public LeaderEpochs(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** A newer leader took the epoch: the write was not made. */
    public static final class StaleLeaderException extends RuntimeException {
        public StaleLeaderException(long mine, long stored) {
            super("the leader's epoch is " + stored + ", this replica led in epoch " + mine);
        }
    }

    /** Makes {@code holder} the leader of a new epoch; returns it. */
    public long advance(String holder, Instant at) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE leader_epoch SET epoch = epoch + 1, holder = ?, taken_at = ? WHERE id = 1")) {
                up.setString(1, holder);
                up.setTimestamp(2, Timestamp.from(at));
                up.executeUpdate();
            }
            return locked(c);
        });
    }

    /** The epoch in force. */
    public long current() {
        return transactions.executeRead(status -> read(status.getConnection(), "SELECT epoch FROM leader_epoch WHERE id = 1"));
    }

    /** Runs a write in one transaction with the epoch check; throws {@link StaleLeaderException}, writing nothing. */
    public <T> T fenced(long epoch, Supplier<T> write) {
        return transactions.executeWrite(status -> {
            long stored = locked(status.getConnection());
            if (stored != epoch) {
                throw new StaleLeaderException(epoch, stored);
            }
            return write.get();
        });
    }

    private static long locked(Connection c) throws SQLException {
        return read(c, "SELECT epoch FROM leader_epoch WHERE id = 1 FOR UPDATE");
    }

    private static long read(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("leader_epoch has no row 1");
            }
            return rs.getLong(1);
        }
    }
}
