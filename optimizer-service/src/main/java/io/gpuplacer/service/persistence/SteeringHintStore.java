package io.gpuplacer.service.persistence;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Steering hints where every replica sees them (V14 steering_hint): the leader writes one after an eviction, any
 * replica's extender steers the controller's next pod by it, and the bind of that pod to the hinted node uses it up.
 */
@Singleton
public class SteeringHintStore {

    /** A hint: the node, until when, and the pod it steered last (null: none yet). */
    public record Hint(String node, Instant until, String member) {
    }

    private final TransactionOperations<Connection> transactions;

    public SteeringHintStore(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Sets (or replaces) the controller's hint. */
    public void put(String controller, String node, Instant until) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement del = c.prepareStatement("DELETE FROM steering_hint WHERE controller = ?")) {
                del.setString(1, controller);
                del.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO steering_hint (controller, node, until_at, member) VALUES (?, ?, ?, NULL)")) {
                st.setString(1, controller);
                st.setString(2, node);
                st.setTimestamp(3, Timestamp.from(until));
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Every hint in force, by controller. */
    public Map<String, Hint> live(Instant now) {
        return transactions.executeRead(status -> {
            Map<String, Hint> out = new HashMap<>();
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT controller, node, until_at, member FROM steering_hint WHERE until_at > ?")) {
                st.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Hint(rs.getString(2), rs.getTimestamp(3).toInstant(),
                                rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** Notes the pod the hint steered (its bind will use the hint up). */
    public void steered(String controller, String member) {
        transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "UPDATE steering_hint SET member = ? WHERE controller = ?")) {
                st.setString(1, member);
                st.setString(2, controller);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** The pod was bound to that node: the hint that steered it there is used up. Whether one was. */
    public boolean usedUp(String member, String node) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "DELETE FROM steering_hint WHERE member = ? AND node = ?")) {
                st.setString(1, member);
                st.setString(2, node);
                return st.executeUpdate() > 0;
            }
        });
    }

    /** Hints past their time (kept from piling up). */
    public int deleteExpired(Instant now) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "DELETE FROM steering_hint WHERE until_at <= ?")) {
                st.setTimestamp(1, Timestamp.from(now));
                return st.executeUpdate();
            }
        });
    }
}
