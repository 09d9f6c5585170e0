package io.gpuplacer.service.persistence;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link GangReservationStore} on the service's database. */
@Singleton
public class JdbcGangReservations implements GangReservationStore {

    private final TransactionOperations<Connection> transactions;

    public JdbcGangReservations(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    @Override
    public Stored find(String gang, Instant now) {
        return transactions.executeRead(status -> read(status.getConnection(), gang, now));
    }

    @Override
    public Stored insert(String gang, List<Place> places, Instant expires, Instant now) {
        try {
            return transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                Stored live = read(c, gang, now);
                if (live != null) {
                    return live;
                }
                remove(c, gang); // an expired one
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO gang_reservation (gang, expires_at) VALUES (?, ?)")) {
                    st.setString(1, gang);
                    st.setTimestamp(2, Timestamp.from(expires));
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO gang_place (gang, idx, node, milli, "
                        + "member, bound) VALUES (?, ?, ?, ?, NULL, FALSE)")) {
                    for (int i = 0; i < places.size(); i++) {
                        st.setString(1, gang);
                        st.setInt(2, i);
                        st.setString(3, places.get(i).node());
                        st.setLong(4, places.get(i).milli());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                return new Stored(gang, expires, List.copyOf(places));
            });
        } catch (RuntimeException e) {
            // Another replica inserted the gang's reservation at the same moment (a duplicate key, or a deadlock
            // between the two inserts): theirs is the one in force.
            Stored winner = find(gang, now);
            if (winner != null) {
                return winner;
            }
            throw e;
        }
    }

    @Override
    public void delete(String gang) {
        transactions.executeWrite(status -> {
            remove(status.getConnection(), gang);
            return null;
        });
    }

    @Override
    public boolean claim(String gang, int index, String member) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "UPDATE gang_place SET member = ? WHERE gang = ? AND idx = ? AND member IS NULL")) {
                st.setString(1, member);
                st.setString(2, gang);
                st.setInt(3, index);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void bound(String member) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<String> gangs = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT gang FROM gang_place WHERE member = ?")) {
                st.setString(1, member);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        gangs.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("UPDATE gang_place SET bound = TRUE WHERE member = ?")) {
                st.setString(1, member);
                st.executeUpdate();
            }
            for (String gang : gangs) {
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT COUNT(*) FROM gang_place WHERE gang = ? AND bound = FALSE")) {
                    st.setString(1, gang);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next() && rs.getLong(1) == 0) {
                            remove(c, gang);
                        }
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<Stored> all(Instant now) {
        return transactions.executeRead(status -> {
            Map<String, Instant> expiries = new LinkedHashMap<>();
            Map<String, List<Place>> places = new LinkedHashMap<>();
            try (PreparedStatement st = status.getConnection().prepareStatement("SELECT r.gang, r.expires_at, p.node, "
                    + "p.milli, p.member, p.bound FROM gang_reservation r JOIN gang_place p ON p.gang = r.gang "
                    + "WHERE r.expires_at > ? ORDER BY r.gang, p.idx")) {
                st.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String gang = rs.getString(1);
                        expiries.putIfAbsent(gang, rs.getTimestamp(2).toInstant());
                        places.computeIfAbsent(gang, g -> new ArrayList<>()).add(new Place(rs.getString(3),
                                rs.getLong(4), rs.getString(5), rs.getBoolean(6)));
                    }
                }
            }
            List<Stored> out = new ArrayList<>();
            expiries.forEach((gang, expires) -> out.add(new Stored(gang, expires, List.copyOf(places.get(gang)))));
            return out;
        });
    }

    private static Stored read(Connection c, String gang, Instant now) throws SQLException {
        Instant expires;
        try (PreparedStatement st = c.prepareStatement("SELECT expires_at FROM gang_reservation WHERE gang = ?")) {
            st.setString(1, gang);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                expires = rs.getTimestamp(1).toInstant();
            }
        }
        if (!now.isBefore(expires)) {
            return null;
        }
        List<Place> places = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT node, milli, member, bound FROM gang_place WHERE gang = ? ORDER BY idx")) {
            st.setString(1, gang);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    places.add(new Place(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return new Stored(gang, expires, List.copyOf(places));
    }

    private static void remove(Connection c, String gang) throws SQLException {
        for (String table : List.of("gang_place", "gang_reservation")) {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE gang = ?")) {
                st.setString(1, gang);
                st.executeUpdate();
            }
        }
    }
}
