package io.gpuplacer.service.security;

import io.gpuplacer.model.interchange.InputException;

import java.util.List;

/**
 * The four roles. Endpoints name every role they admit ({@code @Secured}), admin among them, so the same check
 * holds for API tokens and for OIDC JWTs whose roles come from a claim.
 */
public final class Roles {

    /** Recommendations and the scheduler-facing endpoints. */
    public static final String SCHEDULER = "scheduler";
    /** Cluster, signals, weights, optimization runs, applying plans. */
    public static final String OPERATOR = "operator";
    /** Read-only: reports, state, history. */
    public static final String REPORTER = "reporter";
    /** Everything the others may do, and tokens. */
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(SCHEDULER, OPERATOR, REPORTER, ADMIN);

    private Roles() {
    }

    /** A role as given by a caller; anything else is an error naming the field. */
    public static String parse(String role, String field) throws InputException {
        if (role == null || !ALL.contains(role)) {
            throw new InputException(field, role, field + ": " + (role == null ? "missing" : "\"" + role + "\"")
                    + "; expected one of " + String.join(", ", ALL));
        }
        return role;
    }
}
