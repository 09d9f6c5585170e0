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
     * One class: WHOLE with {@code amount} GPUs, SHARED with {@code amount} milli-GPU, or none, each task asking
     * for {@code cpuMillis} and allowed on the GPU {@code models} (empty = any): a node with less CPU free, or of
     * another model, cannot take it, whatever GPUs it has free.
     */
    public record DemandClass(GpuKind kind, int amount, long cpuMillis, List<String> models, double probability) {

        public DemandClass(GpuKind kind, int amount, double probability) {
            this(kind, amount, 0, List.of(), probability);
        }

        /** Whether tasks of this class may use a node of the given GPU model. */
        public boolean allows(String model) {
            return models.isEmpty() || models.contains(model);
        }
    }

    public static WorkloadProfile empty() {
        return new WorkloadProfile(List.of());
    }

    /** Tasks of one demand shape and how many there are; {@code models} empty = any GPU model. */
    public record Shape(GpuDemand demand, long cpuMillis, List<String> models, int count) {

        public Shape(GpuDemand demand, long cpuMillis, int count) {
            this(demand, cpuMillis, List.of(), count);
        }
    }

    public static WorkloadProfile of(Collection<Job> jobs, Collection<RunningTask> running) {
        List<Shape> shapes = new ArrayList<>();
        for (Job job : jobs) {
            shapes.add(new Shape(job.gpu(), job.cpuMillis(), job.gpu().usesGpu() ? job.gpuModels() : List.of(),
                    job.tasks()));
        }
        for (RunningTask r : running) {
            shapes.add(new Shape(r.job().gpu(), r.job().cpuMillis(),
                    r.job().gpu().usesGpu() ? r.job().gpuModels() : List.of(), 1));
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
            add(shape.demand(), shape.cpuMillis(), shape.models(), shape.count(), cpuBucket, counts, shapes);
        }
        double total = counts.values().stream().mapToDouble(c -> c[0]).sum();
        List<Map.Entry<String, double[]>> top = new ArrayList<>(counts.entrySet());
        top.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]));
        List<DemandClass> classes = new ArrayList<>();
        for (Map.Entry<String, double[]> e : top.subList(0, Math.min(maxClasses, top.size()))) {
            DemandClass shape = shapes.get(e.getKey());
            classes.add(new DemandClass(shape.kind(), shape.amount(), shape.cpuMillis(), shape.models(),
                    e.getValue()[0] / total));
        }
        return new WorkloadProfile(List.copyOf(classes));
    }

    private static void add(GpuDemand demand, long cpuMillis, List<String> models, int tasks, int cpuBucket,
                            Map<String, double[]> counts, Map<String, DemandClass> shapes) {
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
        List<String> sorted = models.stream().sorted().toList();
        String key = demand.kind() + ":" + amount + ":" + cpu + ":" + sorted;
        shapes.putIfAbsent(key, new DemandClass(demand.kind(), amount, cpu, sorted, 0));
        counts.computeIfAbsent(key, k -> new double[1])[0] += tasks;
    }
}
