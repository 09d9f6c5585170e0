package io.gpuplacer.service.api;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.transaction.exceptions.CannotCreateTransactionException;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Tells a database that is away (no connection, connection lost) from other failures. */
final class DatabaseFaults {

    /** What a caller is told to wait before trying a write again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseFaults() {
    }

    static boolean databaseAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SocketException) {
                return true;
            }
            // SQL state class 08: connection exception (JDBC drivers use it for a lost or refused connection).
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
