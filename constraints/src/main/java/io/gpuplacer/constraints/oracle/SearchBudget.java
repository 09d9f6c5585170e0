package io.gpuplacer.constraints.oracle;

/**
 * How long a recommendation may search: checked between candidate places, so a search stops within one
 * candidate's evaluation of its deadline and answers with the best places found until then.
 */
public final class SearchBudget {

    /** No deadline: the whole search (optimization runs, tests). */
    public static final SearchBudget UNLIMITED = new SearchBudget(Long.MAX_VALUE);

    private final long deadlineNanos;
    private boolean spent;

    private SearchBudget(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A budget starting now. */
    public static SearchBudget ofMillis(long millis) {
        return new SearchBudget(System.nanoTime() + millis * 1_000_000L);
    }

    /** True once the deadline has passed; it stays true (the answer is then partial). */
    boolean spent() {
        if (!spent && deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            spent = true;
        }
        return spent;
    }

    /** Whether the search stopped at the deadline rather than at its end. */
    public boolean cutShort() {
        return spent;
    }
}
