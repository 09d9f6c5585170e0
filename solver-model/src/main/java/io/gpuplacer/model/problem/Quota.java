package io.gpuplacer.model.problem;

/**
 * A queue's quota of one flavor, in GPU share (section 6): {@code nominal} is guaranteed; {@code borrowingLimit}
 * (null = what the cohort lends) caps use above it; {@code lendingLimit} (null = all of it) caps how much of the
 * nominal others may borrow.
 */
public record Quota(String flavor, double nominal, Double borrowingLimit, Double lendingLimit) {

    /** What others of the cohort may borrow of this quota: min(nominal, lendingLimit). */
    public double lendable() {
        return lendingLimit == null ? nominal : Math.min(nominal, lendingLimit);
    }

    /** What stays the queue's own whatever the cohort does: nominal - lendable. */
    public double guaranteed() {
        return nominal - lendable();
    }

    /** The most the queue may use of the flavor (rule Q1), or infinity without a borrowing limit. */
    public double maxUse() {
        return borrowingLimit == null ? Double.POSITIVE_INFINITY : nominal + borrowingLimit;
    }
}
