package io.gpuplacer.model.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demand classes of the workload and how common each is (by task count), as FGD's fragmentation measure
 * uses them: the expected GPU capacity that a typical next task could not use. A class is a GPU demand (WHOLE
 * count, SHARED milli, or none) with a CPU request rounded up to a bucket; only the most common are kept.
 */
public record WorkloadProfile(List<DemandClass> classes) {

    /** For the solver, where fragmentation is on the hot path: the 16 most common classes, CPU by 1000 millis. */
    public static final int MAX_CLASSES = 16;
    public static final int CPU_BUCKET = 1000;

    /**
     * One class: WHOLE with {@code amount} GPUs, or SHARED with {@code amount} milli-GPU, each task asking for
     * {@code cpuMillis}: a node with less CPU free cannot take it, whatever GPUs it has.
     */
    public record DemandClass(GpuKind kind, int amount, long cpuMillis, double probability) {

        public DemandClass(GpuKind kind, int amount, double probability) {
            this(kind, amount, 0, probability);
        }
    }

    public static WorkloadProfile empty() {
        return new WorkloadProfile(List.of());
    }

    /** Tasks of one demand shape and how many there are. */
    public record Shape(GpuDemand demand, long cpuMillis, int count) {
    }

    public static WorkloadProfile of(Collection<Job> jobs, Collection<RunningTask> running) {
        List<Shape> shapes = new ArrayList<>();
        for (Job job : jobs) {
            shapes.add(new Shape(job.gpu(), job.cpuMillis(), job.tasks()));
        }
        for (RunningTask r : running) {
            shapes.add(new Shape(r.job().gpu(), r.job().cpuMillis(), 1));
        }
        return fromShapes(shapes);
    }

    public static WorkloadProfile fromShapes(Collection<Shape> tasks) {
        return fromShapes(tasks, MAX_CLASSES, CPU_BUCKET);
    }

    /** Classes of the given tasks: at most {@code maxClasses}, the most common, CPU rounded up to the bucket. */
    public static WorkloadProfile fromShapes(Collection<Shape> tasks, int maxClasses, int cpuBucket) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        Map<String, DemandClass> shapes = new LinkedHashMap<>();
        for (Shape shape : tasks) {
            add(shape.demand(), shape.cpuMillis(), shape.count(), cpuBucket, counts, shapes);
        }
        double total = counts.values().stream().mapToDouble(c -> c[0]).sum();
        List<Map.Entry<String, double[]>> top = new ArrayList<>(counts.entrySet());
        top.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]));
        List<DemandClass> classes = new ArrayList<>();
        for (Map.Entry<String, double[]> e : top.subList(0, Math.min(maxClasses, top.size()))) {
            DemandClass shape = shapes.get(e.getKey());
            classes.add(new DemandClass(shape.kind(), shape.amount(), shape.cpuMillis(), e.getValue()[0] / total));
        }
        return new WorkloadProfile(List.copyOf(classes));
    }

    private static void add(GpuDemand demand, long cpuMillis, int tasks, int cpuBucket, Map<String, double[]> counts,
                            Map<String, DemandClass> shapes) {
        int amount;
        switch (demand.kind()) {
            case WHOLE -> amount = demand.count();
            case SHARED -> amount = demand.milli();
            case NONE -> amount = 0; // a CPU-only task strands a node's GPUs when it takes the last CPU
            default -> {
                return; // MIG instances live on MIG nodes, which this measure leaves out
            }
        }
        long cpu = (cpuMillis + cpuBucket - 1) / cpuBucket * cpuBucket;
        String key = demand.kind() + ":" + amount + ":" + cpu;
        shapes.putIfAbsent(key, new DemandClass(demand.kind(), amount, cpu, 0));
        counts.computeIfAbsent(key, k -> new double[1])[0] += tasks;
    }
}
