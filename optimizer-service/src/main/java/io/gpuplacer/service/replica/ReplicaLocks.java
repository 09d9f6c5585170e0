package io.gpuplacer.service.replica;

import io.gpuplacer.service.config.ReplicaSettings;
import io.gpuplacer.service.config.DatabaseSettings;
import io.gpuplacer.service.config.Modes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
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
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This replica among the others on one MySQL database, through named locks held by one session of its own: the
 * lock {@code gpuplacer.replica.<id>} says it is alive (MySQL frees it the moment the process dies and its
 * connection closes), the lock {@code gpuplacer.leader.<database>} makes it the one leader that runs the periodic
 * work. A follower tries for the leader's lock every {@code gpuplacer.leader-poll-seconds} (5 s), on a thread of its
 * own (never behind the other scheduled jobs), so a dead leader is replaced within that; a leader whose session the
 * server closed (idle past {@code gpuplacer.leader-lease-seconds}, 30 s: a partition, a stall) loses its locks.
 * <p>
 * Leadership is fenced: whoever takes the leader's lock also takes a new epoch ({@link LeaderEpochs}), and leader
 * work asks {@link #confirm()} for a {@link Leadership} that checks, before the work starts, that the lock and the
 * epoch are still this replica's, and writes only under that epoch. A leader that resumes after a stall steps down
 * there, before it acts. The embedded H2 default serves one process only: that process leads.
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
    /** The epoch this replica leads in; 0 while it does not lead. */
    private volatile long epoch;
    private final LeaderEpochs epochs;
    private final Clock clock;
    private final int pollSeconds;
    private final int leaseSeconds;
    private ScheduledExecutorService poller;

    public ReplicaLocks(DatabaseSettings database, MeterRegistry metrics, LeaderEpochs epochs, Clock clock,
                        ReplicaSettings settings) {
        String url = database.url();
        String user = database.username();
        String password = database.password();
        int pollSeconds = settings.leaderPollSeconds();
        int leaseSeconds = settings.leaderLeaseSeconds();
        if (leaseSeconds < 2 * pollSeconds) {
            LOG.warn("gpuplacer.leader-lease-seconds ({}) is under twice gpuplacer.leader-poll-seconds ({}): the "
                    + "leader's idle session may time out between polls, and leadership move for no reason",
                    leaseSeconds, pollSeconds);
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.id = replicaId();
        this.epochs = epochs;
        this.clock = clock;
        this.pollSeconds = pollSeconds;
        this.leaseSeconds = leaseSeconds;
        metrics.gauge("gpuplacer.replica.leader", this, r -> r.isLeader() ? 1 : 0);
    }

    @PostConstruct
    void start() {
        namedLocks = url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:");
        if (!namedLocks) {
            leader = true;
            try {
                epoch = epochs.advance(id, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("replica {}: no epoch yet ({}); taken before the first leader work", id, e.toString());
            }
            LOG.info("replica {}: the embedded database serves this process alone; it leads (epoch {})", id, epoch);
            return;
        }
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leader-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }

    /** The work of the leader, checked and fenced: call {@link ReplicaLocks#confirm()} before each pass. */
    public final class Leadership {

        private final long epoch;

        private Leadership(long epoch) {
            this.epoch = epoch;
        }

        public long epoch() {
            return epoch;
        }

        /**
         * Runs a leader-only write in one transaction, only while this epoch is in force; when a newer leader took
         * over, this replica steps down and {@link LeaderEpochs.StaleLeaderException} is thrown, nothing written.
         */
        public <T> T write(Supplier<T> write) {
            try {
                return epochs.fenced(epoch, write);
            } catch (LeaderEpochs.StaleLeaderException e) {
                stepDown(epoch, e.getMessage());
                throw e;
            }
        }

        /** Right before an action leaves for a cluster: throws as {@link #write} does when the epoch is gone. */
        public void check() {
            write(() -> null);
        }
    }

    /**
     * This replica's leadership after a check that it still holds the leader's lock and epoch (a leader that
     * stalled steps down here, before it acts); null when it does not lead.
     */
    public synchronized Leadership confirm() {
        if (!leader) {
            return null;
        }
        try {
            if (!namedLocks) {
                if (epoch == 0) {
                    epoch = epochs.advance(id, clock.instant());
                }
            } else if (session == null || !session.isValid(2) || !holds(leaderLock)) {
                stepDown(epoch, "its session or the leader's lock is gone");
                return null;
            }
            long stored = epochs.current();
            if (stored != epoch) {
                stepDown(epoch, "the epoch in force is " + stored);
                return null;
            }
            return new Leadership(epoch);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("replica {}: leadership could not be confirmed ({}); not acting now", id,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /** Stops leading in that epoch (another replica took over, or this one cannot tell): its locks go with it. */
    synchronized void stepDown(long inEpoch, String why) {
        if (!leader || epoch != inEpoch) {
            return;
        }
        LOG.warn("replica {} is no longer the leader (epoch {}): {}", id, inEpoch, why);
        leader = false;
        epoch = 0;
        if (namedLocks) {
            closeSession(); // frees the leader's lock should it still hold it; the next poll opens a new session
        }
    }

    /** This replica's id: host, process and a random part (a restarted process is a new replica). */
    public String id() {
        return id;
    }

    public boolean isLeader() {
        return leader;
    }

    /** The epoch this replica leads in, 0 when it does not lead (or has not yet written as the leader). */
    public long epoch() {
        return epoch;
    }

    /**
     * Keeps the session and its locks; takes the leader's lock, and a new epoch, when the lock is free; a leader
     * whose lock or epoch is gone steps down.
     */
    synchronized void poll() {
        if (!namedLocks) {
            return;
        }
        try {
            if (session == null || !session.isValid(2)) {
                if (leader) {
                    stepDown(epoch, "its database session is gone");
                }
                open();
            }
            if (leader) {
                long stored = epochs.current();
                if (!holds(leaderLock) || stored != epoch) {
                    stepDown(epoch, "the leader's lock or epoch (now " + stored + ") is no longer its own");
                }
            } else if (take(leaderLock)) {
                try {
                    epoch = epochs.advance(id, clock.instant());
                } catch (RuntimeException e) {
                    closeSession(); // never hold the lock without an epoch
                    throw new SQLException("no epoch could be taken", e);
                }
                leader = true;
                LOG.info("replica {} is now the leader (epoch {})", id, epoch);
            }
        } catch (SQLException | RuntimeException e) {
            if (leader) {
                LOG.warn("replica {} is no longer the leader: its database session failed ({})", id,
                        e.getClass().getSimpleName());
            }
            leader = false;
            epoch = 0;
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
            st.execute("SET SESSION wait_timeout = " + leaseSeconds);
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
    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
        closeSession();
    }

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
