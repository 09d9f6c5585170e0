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
 *
 * <p>Two additions to FGD's measure, both zero in the plain profile: {@code gpuMilliPerCpuMilli}, the workload's
 * GPU demand per unit of CPU demand (a node whose free CPU cannot feed its free GPUs at that ratio strands the
 * rest), and {@code modelPressure}, per GPU model the demand that may only or also use it over its capacity,
 * relative to the cluster's (1 = average; a free GPU of a model above 1 is worth more than one below).
 */
public record WorkloadProfile(List<DemandClass> classes, double gpuMilliPerCpuMilli, Map<String, Double> modelPressure) {

    /** FGD's measure alone: no stranded capacity, no model pressure. */
    public WorkloadProfile(List<DemandClass> classes) {
        this(classes, 0.0, Map.of());
    }

    /** The pressure on a model's GPUs (1 when unknown). */
    public double pressure(String model) {
        return modelPressure.getOrDefault(model, 1.0);
    }

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

    /**
     * The solver's profile of a problem: the classes of its pending and running work, with the stranding ratio
     * and the pressure on each GPU model of its nodes.
     */
    public static WorkloadProfile of(Problem problem) {
        List<Shape> shapes = shapesOf(problem.jobs(), problem.running());
        Map<String, Long> capacity = new LinkedHashMap<>();
        for (Node node : problem.nodes()) {
            if (!node.migEnabled() && node.gpuCount() > 0) {
                capacity.merge(node.gpuModel(), node.gpuCount() * 1000L, Long::sum);
            }
        }
        return fromShapes(shapes).withDemand(shapes, capacity);
    }

    private static List<Shape> shapesOf(Collection<Job> jobs, Collection<RunningTask> running) {
        List<Shape> shapes = new ArrayList<>();
        for (Job job : jobs) {
            shapes.add(new Shape(job.gpu(), job.cpuMillis(), job.gpu().usesGpu() ? job.gpuModels() : List.of(),
                    job.tasks()));
        }
        for (RunningTask r : running) {
            shapes.add(new Shape(r.job().gpu(), r.job().cpuMillis(),
                    r.job().gpu().usesGpu() ? r.job().gpuModels() : List.of(), 1));
        }
        return shapes;
    }

    /**
     * These classes with the stranding ratio and model pressures of a workload on a cluster ({@code capacity}:
     * milli-GPU per GPU model). A task's GPU demand counts against the models it may use in proportion to their
     * capacity (every model when it names none); a model's pressure is its share of demand over its share of
     * capacity. MIG and CPU-only work asks no whole or shared GPU and does not count.
     */
    public WorkloadProfile withDemand(Collection<Shape> tasks, Map<String, Long> capacity) {
        double gpu = 0;
        double cpu = 0;
        Map<String, Double> demand = new LinkedHashMap<>();
        double totalCapacity = capacity.values().stream().mapToLong(Long::longValue).sum();
        for (Shape shape : tasks) {
            GpuDemand d = shape.demand();
            if (d.kind() != GpuKind.WHOLE && d.kind() != GpuKind.SHARED) {
                continue;
            }
            double milli = d.shareMilli() * (double) shape.count();
            gpu += milli;
            cpu += shape.cpuMillis() * (double) shape.count();
            List<String> allowed = shape.models().isEmpty() ? List.copyOf(capacity.keySet())
                    : shape.models().stream().filter(capacity::containsKey).distinct().toList();
            double allowedCapacity = allowed.stream().mapToDouble(capacity::get).sum();
            for (String model : allowed) {
                demand.merge(model, milli * capacity.get(model) / allowedCapacity, Double::sum);
            }
        }
        double totalDemand = demand.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> pressure = new LinkedHashMap<>();
        if (totalDemand > 0) {
            for (Map.Entry<String, Long> model : capacity.entrySet()) {
                pressure.put(model.getKey(), demand.getOrDefault(model.getKey(), 0.0) / model.getValue()
                        / (totalDemand / totalCapacity));
            }
        }
        return new WorkloadProfile(classes, cpu > 0 ? gpu / cpu : 0.0, Map.copyOf(pressure));
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
