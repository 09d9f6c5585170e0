package io.gpuplacer.model.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU demand classes of the workload and how common each is (by task count), as FGD's fragmentation measure
 * uses them: the expected GPU capacity that a typical next task could not use. SHARED demand is bucketed to
 * 100 milli and CPU to {@link #CPU_BUCKET} millis (rounded up); at most {@link #MAX_CLASSES} classes are kept,
 * the most common.
 */
public record WorkloadProfile(List<DemandClass> classes) {

    public static final int MAX_CLASSES = 16;
    public static final int CPU_BUCKET = 2000;

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

    public static WorkloadProfile of(Collection<Job> jobs, Collection<RunningTask> running) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        Map<String, DemandClass> shapes = new LinkedHashMap<>();
        for (Job job : jobs) {
            add(job.gpu(), job.cpuMillis(), job.tasks(), counts, shapes);
        }
        for (RunningTask r : running) {
            add(r.job().gpu(), r.job().cpuMillis(), 1, counts, shapes);
        }
        double total = counts.values().stream().mapToDouble(c -> c[0]).sum();
        List<Map.Entry<String, double[]>> top = new ArrayList<>(counts.entrySet());
        top.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]));
        List<DemandClass> classes = new ArrayList<>();
        for (Map.Entry<String, double[]> e : top.subList(0, Math.min(MAX_CLASSES, top.size()))) {
            DemandClass shape = shapes.get(e.getKey());
            classes.add(new DemandClass(shape.kind(), shape.amount(), shape.cpuMillis(), e.getValue()[0] / total));
        }
        return new WorkloadProfile(List.copyOf(classes));
    }

    private static void add(GpuDemand demand, long cpuMillis, int tasks, Map<String, double[]> counts,
                            Map<String, DemandClass> shapes) {
        int amount;
        switch (demand.kind()) {
            case WHOLE -> amount = demand.count();
            case SHARED -> amount = Math.max(100, demand.milli() / 100 * 100);
            default -> {
                return; // MIG and CPU-only work do not fragment whole or shared GPUs
            }
        }
        long cpu = (cpuMillis + CPU_BUCKET - 1) / CPU_BUCKET * CPU_BUCKET;
        String key = demand.kind() + ":" + amount + ":" + cpu;
        shapes.putIfAbsent(key, new DemandClass(demand.kind(), amount, cpu, 0));
        counts.computeIfAbsent(key, k -> new double[1])[0] += tasks;
    }
}
