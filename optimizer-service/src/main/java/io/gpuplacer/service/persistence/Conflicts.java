package io.gpuplacer.service.persistence;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Transactions that lost a race to another one (a replica writing at the same moment): MySQL's deadlock (1213,
 * SQLSTATE 40001) and lock wait timeout (1205) roll the whole transaction back, and the way out is to run it again.
 * Tried up to {@value #ATTEMPTS} times, after a short random pause so that the two do not meet again.
 */
public final class Conflicts {

    static final int ATTEMPTS = 8;

    private Conflicts() {
    }

    /** Runs a whole transaction (never call this inside one: only a fresh transaction can be tried again). */
    public static <T> T retried(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || !lostRace(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Whether the failure is a transaction rolled back for a conflict with another one. */
    public static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || sql.getErrorCode() == 1213
                    || sql.getErrorCode() == 1205)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to try a transaction again", e);
        }
    }
}
