package io.gpuplacer.service.replica;

import io.gpuplacer.service.config.Modes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * This replica among the others on one MySQL database, through named locks held by one session of its own: the
 * lock {@code gpuplacer.replica.<id>} says it is alive (MySQL frees it the moment the process dies and its
 * connection closes), the lock {@code gpuplacer.leader.<database>} makes it the one leader that runs the periodic work. A
 * follower tries for the leader's lock every {@code gpuplacer.leader-poll-seconds} (5 s), so a dead leader is
 * replaced within that. The embedded H2 default serves one process only: that process leads.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class ReplicaLocks {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLocks.class);

    private final String url;
    private final String user;
    private final String password;
    private final String id;
    private volatile boolean namedLocks;
    private volatile Connection session;
    private volatile boolean leader;
    /** Named locks are server-wide: the leader's carries the database's name, so each database has its own. */
    private volatile String leaderLock = "gpuplacer.leader";

    public ReplicaLocks(@Value("${datasources.default.url}") String url,
                        @Value("${datasources.default.username:}") String user,
                        @Value("${datasources.default.password:}") String password, MeterRegistry metrics) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.id = replicaId();
        metrics.gauge("gpuplacer.replica.leader", this, r -> r.isLeader() ? 1 : 0);
    }

    @PostConstruct
    void start() {
        namedLocks = url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:");
        if (!namedLocks) {
            leader = true;
            LOG.info("replica {}: the embedded database serves this process alone; it leads", id);
            return;
        }
        poll();
    }

    /** This replica's id: host, process and a random part (a restarted process is a new replica). */
    public String id() {
        return id;
    }

    public boolean isLeader() {
        return leader;
    }

    /** Keeps the session and its locks; takes the leader's lock when it is free. */
    @Scheduled(fixedDelay = "${gpuplacer.leader-poll-seconds:5}s", initialDelay = "${gpuplacer.leader-poll-seconds:5}s")
    synchronized void poll() {
        if (!namedLocks) {
            return;
        }
        try {
            if (session == null || !session.isValid(2)) {
                open();
            }
            boolean was = leader;
            leader = leader ? holds(leaderLock) : take(leaderLock);
            if (leader != was) {
                LOG.info("replica {} {} the leader", id, leader ? "is now" : "is no longer");
            }
        } catch (SQLException e) {
            if (leader) {
                LOG.warn("replica {} is no longer the leader: its database session failed ({})", id,
                        e.getClass().getSimpleName());
            }
            leader = false;
            closeSession();
        }
    }

    /** Whether the replica of that id still runs (its lock is held); with the embedded database, only this one. */
    public synchronized boolean alive(String replica) {
        if (replica == null) {
            return false;
        }
        if (!namedLocks || replica.equals(id)) {
            return replica.equals(id);
        }
        try (PreparedStatement st = sessionOrOpen().prepareStatement("SELECT IS_FREE_LOCK(?)")) {
            st.setString(1, replicaLock(replica));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        } catch (SQLException e) {
            return true; // cannot tell: never fail another replica's run on a doubt
        }
    }

    private void open() throws SQLException {
        closeSession();
        java.util.Properties credentials = new java.util.Properties();
        if (!user.isEmpty()) { // else the URL's own user and password, if it names them, stay in force
            credentials.setProperty("user", user);
            credentials.setProperty("password", password);
        }
        Connection c = DriverManager.getConnection(url, credentials);
        try (Statement st = c.createStatement()) {
            // A session cut off by a partition is closed by the server after this long (its locks with it); the
            // poll keeps a healthy session from idling that long.
            st.execute("SET SESSION wait_timeout = 30");
            try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
                String db = rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
                leaderLock = "gpuplacer.leader." + (db.length() <= 40 ? db : db.substring(0, 40));
            }
        }
        session = c;
        leader = false;
        if (!take(replicaLock(id))) {
            throw new SQLException("the replica lock " + replicaLock(id) + " is taken");
        }
    }

    private Connection sessionOrOpen() throws SQLException {
        synchronized (this) {
            if (session == null) {
                open();
            }
            return session;
        }
    }

    private boolean take(String lock) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            st.setString(1, lock);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    private boolean holds(String lock) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
            st.setString(1, lock);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    @PreDestroy
    synchronized void closeSession() {
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.close(); // frees the locks: a follower takes over at its next poll
            } catch (SQLException e) {
                // closed already
            }
        }
    }

    private static String replicaLock(String replica) {
        return "gpuplacer.replica." + replica;
    }

    private static String replicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "");
        String pid = Long.toString(ProcessHandle.current().pid());
        String id = host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 6);
        return id.length() <= 40 ? id : id.substring(id.length() - 40); // lock names hold 64 characters
    }
}
