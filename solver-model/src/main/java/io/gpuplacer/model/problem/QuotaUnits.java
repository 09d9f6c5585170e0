package io.gpuplacer.model.problem;

/**
 * GPU share (section 6) as an exact integer: 7000 units per GPU, so WHOLE (count x 7000), SHARED (milli x 7) and
 * MIG (compute slices x 1000) all add up without rounding, and sums compare exactly against quota limits.
 */
public final class QuotaUnits {

    public static final long PER_GPU = 7000;
    /** The tolerance of every quota comparison, in GPUs; the plan validator uses the same. */
    public static final double TOLERANCE_GPUS = 1e-9;

    private QuotaUnits() {
    }

    public static long of(GpuDemand demand) {
        return switch (demand.kind()) {
            case WHOLE -> demand.count() * PER_GPU;
            case SHARED -> demand.milli() * 7L;
            case MIG -> demand.migComputeSlices() * 1000L;
            case NONE -> 0;
        };
    }

    /** The most units a limit in GPUs allows (usage in units is whole, so the floor is exact); infinity stays. */
    public static long limit(double gpus) {
        if (Double.isInfinite(gpus) || gpus * PER_GPU >= Long.MAX_VALUE / 4) {
            return Long.MAX_VALUE / 4;
        }
        return (long) Math.floor((gpus + TOLERANCE_GPUS) * PER_GPU);
    }

    /** Units as GPUs, for messages. */
    public static double gpus(long units) {
        return units / (double) PER_GPU;
    }
}
