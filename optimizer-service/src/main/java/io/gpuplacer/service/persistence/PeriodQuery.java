package io.gpuplacer.service.persistence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Runs a read of a period: SQL written in this package, [from, to) its first two parameters, strings after. */
final class PeriodQuery {

    /** What is done with each row. */
    interface RowReader {
        void read(ResultSet r) throws SQLException;
    }

    private PeriodQuery() {
    }

    /** Runs {@code sql} with [from, to) as its first two parameters and {@code more} after them, row by row. */
    static void each(DataSource dataSource, String sql, Instant from, Instant to, List<String> more, RowReader rows) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            for (int k = 0; k < more.size(); k++) {
                st.setString(3 + k, more.get(k));
            }
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    rows.read(r);
                }
            }
        } catch (SQLException e) {
            throw new LedgerReader.LedgerUnreadableException(e);
        }
    }
}
