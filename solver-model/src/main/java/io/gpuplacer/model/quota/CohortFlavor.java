package io.gpuplacer.model.quota;

import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;

import java.util.Arrays;
import java.util.List;

/**
 * Rules Q1 and Q2 of one cohort and one flavor it lists (section 9): its queues, each one's guarantee and limit
 * per slot, and the cohort's lending limit per slot. Limits are raised to what the running work alone already
 * uses where that is more (the plan may not make it worse). Usage is given in {@link QuotaUnits}, per queue
 * position ({@link #position}) and slot; limits are compared in GPUs with the validator's tolerance.
 */
public final class CohortFlavor {

    private final String cohort;
    private final String flavor;
    private final List<Queue> queues;
    private final double[] guaranteed;
    private final double[] nominal;
    private final long[][] queueLimit; // units per queue position and slot (Q1); "unlimited" without a limit
    private final double[] lends;      // GPUs per slot (Q2)

    CohortFlavor(String cohort, String flavor, List<Queue> queues, int horizon) {
        this.cohort = cohort;
        this.flavor = flavor;
        this.queues = List.copyOf(queues);
        this.guaranteed = new double[queues.size()];
        this.nominal = new double[queues.size()];
        this.queueLimit = new long[queues.size()][horizon];
        this.lends = new double[horizon];
        double lendable = 0;
        for (int i = 0; i < queues.size(); i++) {
            Quota quota = queues.get(i).quota(flavor);
            guaranteed[i] = quota == null ? 0 : quota.guaranteed();
            nominal[i] = quota == null ? 0 : quota.nominal();
            lendable += quota == null ? 0 : quota.lendable();
            Arrays.fill(queueLimit[i], QuotaUnits.limit(quota == null ? Double.POSITIVE_INFINITY : quota.maxUse()));
        }
        Arrays.fill(lends, lendable);
    }

    /** Raises the limits of each slot to what the running work alone uses there (units per position and slot). */
    void allowBaseline(long[][] baseline) {
        for (int t = 0; t < lends.length; t++) {
            for (int i = 0; i < queues.size(); i++) {
                queueLimit[i][t] = Math.max(queueLimit[i][t], baseline[i][t]);
            }
            lends[t] = Math.max(lends[t], borrowed(baseline, t));
        }
    }

    /** Keeps a queue within its nominal quota in one slot (a reclaiming preemption's promise, rule P3). */
    void capAtNominal(Queue queue, int slot) {
        int i = position(queue);
        Quota quota = queue.quota(flavor);
        queueLimit[i][slot] = Math.min(queueLimit[i][slot], QuotaUnits.limit(quota == null ? 0 : quota.nominal()));
    }

    public String cohort() {
        return cohort;
    }

    public String flavor() {
        return flavor;
    }

    public List<Queue> queues() {
        return queues;
    }

    public int horizon() {
        return lends.length;
    }

    /** The queue's position in this group's usage arrays, or -1 when it is not of the cohort. */
    public int position(Queue queue) {
        return queues.indexOf(queue);
    }

    /** Units over the queue's limit in the slot (Q1), 0 when within. */
    public long queueExcess(int position, int slot, long used) {
        return Math.max(0, used - queueLimit[position][slot]);
    }

    /** GPUs the queues use above their guarantees in the slot: what they take of what the cohort lends. */
    public double borrowed(long[][] used, int slot) {
        double sum = 0;
        for (int i = 0; i < queues.size(); i++) {
            sum += Math.max(0, QuotaUnits.gpus(used[i][slot]) - guaranteed[i]);
        }
        return sum;
    }

    /** Units the cohort's borrowing exceeds what it lends in the slot (Q2), 0 when within. */
    public long cohortExcess(long[][] used, int slot) {
        double over = borrowed(used, slot) - lends[slot];
        return over > QuotaUnits.TOLERANCE_GPUS ? Math.max(1, Math.round(over * QuotaUnits.PER_GPU)) : 0;
    }

    /** GPUs the queue uses above its nominal quota in the slot: what it borrows. */
    public double borrowedBy(int position, long[][] used, int slot) {
        return Math.max(0, QuotaUnits.gpus(used[position][slot]) - nominal[position]);
    }

    /**
     * How far the borrowing in the slot is from the fair split (section 9): among the queues that borrow, each
     * one's part of the total borrowed is its fairShareWeight's part of theirs; the GPUs that would have to change
     * hands to get there (half the sum of the differences).
     */
    public double fairShareDeviation(long[][] used, int slot) {
        double total = 0;
        double weights = 0;
        for (int i = 0; i < queues.size(); i++) {
            double b = borrowedBy(i, used, slot);
            if (b > QuotaUnits.TOLERANCE_GPUS) {
                total += b;
                weights += queues.get(i).fairShareWeight();
            }
        }
        if (weights == 0) {
            return 0;
        }
        double off = 0;
        for (int i = 0; i < queues.size(); i++) {
            double b = borrowedBy(i, used, slot);
            if (b > QuotaUnits.TOLERANCE_GPUS) {
                off += Math.abs(b - total * queues.get(i).fairShareWeight() / weights);
            }
        }
        return off / 2;
    }

    /** How far a use breaks Q1 and Q2, and how far it is from the fair split, each in units x slots. */
    public record Totals(long queueUnits, long cohortUnits, long fairShareUnits) {

        /** Units x slots over the limits of Q1 and Q2 together (the hard score's measure). */
        public long excessUnits() {
            return queueUnits + cohortUnits;
        }
    }

    /** The totals of a use (units per queue position and slot) over the whole horizon. */
    public Totals totals(long[][] used) {
        long queueUnits = 0;
        long cohortUnits = 0;
        long fairShareUnits = 0;
        for (int t = 0; t < lends.length; t++) {
            for (int i = 0; i < queues.size(); i++) {
                queueUnits += queueExcess(i, t, used[i][t]);
            }
            cohortUnits += cohortExcess(used, t);
            fairShareUnits += Math.round(fairShareDeviation(used, t) * QuotaUnits.PER_GPU);
        }
        return new Totals(queueUnits, cohortUnits, fairShareUnits);
    }

    /** What the cohort lends in the slot, in GPUs (raised to the running work's borrowing where that is more). */
    public double lends(int slot) {
        return lends[slot];
    }

    /** The queue's limit in the slot in GPUs (infinite without a borrowing limit). */
    public double queueLimit(int position, int slot) {
        long units = queueLimit[position][slot];
        return units >= QuotaUnits.limit(Double.POSITIVE_INFINITY) ? Double.POSITIVE_INFINITY : QuotaUnits.gpus(units);
    }

    @Override
    public String toString() {
        return "cohort " + cohort + " / " + flavor;
    }
}
