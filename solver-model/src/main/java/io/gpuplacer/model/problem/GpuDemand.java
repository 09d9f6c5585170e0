package io.gpuplacer.model.problem;

/**
 * Per-task GPU demand. Only the field of its kind is meaningful: {@code count} for WHOLE, {@code milli} for
 * SHARED, {@code migProfile} (with its compute slices) for MIG.
 */
public record GpuDemand(GpuKind kind, int count, int milli, String migProfile, int migComputeSlices) {

    public static GpuDemand whole(int count) {
        return new GpuDemand(GpuKind.WHOLE, count, 0, null, 0);
    }

    public static GpuDemand shared(int milli) {
        return new GpuDemand(GpuKind.SHARED, 0, milli, null, 0);
    }

    public static GpuDemand mig(String profile, int computeSlices) {
        return new GpuDemand(GpuKind.MIG, 0, 0, profile, computeSlices);
    }

    public static GpuDemand none() {
        return new GpuDemand(GpuKind.NONE, 0, 0, null, 0);
    }

    /** GPU share of section 6: WHOLE = count, SHARED = milli/1000, MIG = compute slices/7, NONE = 0. */
    public double share() {
        return switch (kind) {
            case WHOLE -> count;
            case SHARED -> milli / 1000.0;
            case MIG -> migComputeSlices / 7.0;
            case NONE -> 0.0;
        };
    }

    /** The share in thousandths, rounded: the integer unit of the medium score. */
    public long shareMilli() {
        return Math.round(share() * 1000.0);
    }

    /** How many GPU indices a task of this demand lists (rule 5): count for WHOLE, one for SHARED and MIG. */
    public int gpuIndexCount() {
        return switch (kind) {
            case WHOLE -> count;
            case SHARED, MIG -> 1;
            case NONE -> 0;
        };
    }

    public boolean usesGpu() {
        return kind != GpuKind.NONE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case WHOLE -> count + " whole GPU" + (count == 1 ? "" : "s");
            case SHARED -> milli + " milli-GPU";
            case MIG -> "MIG " + migProfile;
            case NONE -> "no GPU";
        };
    }
}
