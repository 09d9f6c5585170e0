package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.SignalSeries;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.problem.Zone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the three input documents of interchange v1 (cluster, jobs, signals) into a
 * {@link Problem}. Every contract violation is an {@link InputException} naming the document, field and value;
 * nothing is returned half-read.
 */
public final class ProblemReader {

    public static final int DEFAULT_HORIZON_HOURS = 48;
    public static final int MAX_HORIZON_HOURS = 168;
    // Upper limits far beyond any real node or job, low enough that no sum or product in the score can wrap:
    // a task's medium weight (priority x cpuMillis / 32) and a node's cost over a year stay below 2^53.
    static final long MAX_CPU_MILLIS = 1_000_000_000L; // a million cores
    static final long MAX_MEMORY_MIB = 10_000_000_000L; // about 9.3 PiB
    static final double MAX_HOURS = 8784; // a leap year: remainingHours and durationHours
    // now must leave room for the horizon and stay printable as ISO-8601 without a sign.
    private static final Instant FIRST_NOW = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LAST_NOW = Instant.parse("9999-12-01T00:00:00Z");

    /** Strict: duplicate keys, and data after the document (trailing bytes, a second document), are errors. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final MigCatalogue mig;

    public ProblemReader() {
        this(MigCatalogue.bundled());
    }

    public ProblemReader(MigCatalogue mig) {
        this.mig = mig;
    }

    /** Reads the documents from files; {@code signals} may be null (every zone then uses 0, with a warning). */
    public Problem read(Path cluster, Path jobs, Path signals) throws InputException {
        return read(parse(cluster), parse(jobs), signals == null ? null : parse(signals),
                cluster.toString(), jobs.toString(), signals == null ? "signals" : signals.toString());
    }

    /** Reads already-parsed documents; {@code signals} may be null. */
    public Problem read(JsonNode cluster, JsonNode jobs, JsonNode signals) throws InputException {
        return read(cluster, jobs, signals, "cluster", "jobs", "signals");
    }

    /** Parses JSON text; syntax errors name the line and column. */
    public static JsonNode parse(String json, String document) throws InputException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null) {
                throw new InputException("", "", document + ": empty document");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // bad syntax, or data after the document
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InputException("", null, document + ": invalid JSON" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException("", null, document + ": cannot be read: " + e.getMessage());
        }
    }

    public static JsonNode parse(Path file) throws InputException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException("", file.toString(), file + ": no such file");
        } catch (IOException e) {
            throw new InputException("", file.toString(), file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Reads already-parsed documents, naming each in errors as given (e.g. the file it came from). */
    public Problem read(JsonNode clusterDoc, JsonNode jobsDoc, JsonNode signalsDoc, String clusterName,
                        String jobsName, String signalsName) throws InputException {
        // The job queue first: it fixes `now` and the horizon that the running tasks and signals are cut to.
        JsonField queue = document(jobsDoc, jobsName);
        Instant now;
        int horizon;
        try {
            now = queue.instant("now");
            if (now.getEpochSecond() % 3600 != 0 || now.getNano() != 0) {
                throw queue.error("now", "\"" + now + "\"", "must be on a whole hour (slot 0 starts there)");
            }
            if (now.isBefore(FIRST_NOW) || now.isAfter(LAST_NOW)) {
                throw queue.error("now", "\"" + now + "\"", "must lie between " + FIRST_NOW + " and " + LAST_NOW);
            }
            horizon = (int) queue.optInteger("horizonHours", DEFAULT_HORIZON_HOURS, 1, MAX_HORIZON_HOURS);
        } catch (InputException e) {
            throw e.inDocument(jobsName);
        }
        JsonField clusterRoot = document(clusterDoc, clusterName);
        Map<String, Double> pueByZone;
        try {
            pueByZone = readZones(clusterRoot);
        } catch (InputException e) {
            throw e.inDocument(clusterName);
        }
        List<String> warnings = new ArrayList<>();
        Map<String, SignalSeries> signals;
        Map<String, Double> spotRates;
        try {
            JsonField signalsRoot = signalsDoc == null ? null : document(signalsDoc, signalsName);
            signals = SignalsReader.read(signalsRoot, pueByZone.keySet(), now, horizon, warnings);
            spotRates = SignalsReader.spotRates(signalsRoot);
        } catch (InputException e) {
            throw e.inDocument(signalsName);
        }
        List<Zone> zones = new ArrayList<>();
        pueByZone.forEach((id, pue) -> zones.add(new Zone(zones.size(), id, pue, signals.get(id))));
        List<Node> nodes = new ArrayList<>();
        List<Job> runningJobs = new ArrayList<>();
        List<RunningTask> running = new ArrayList<>();
        List<Queue> queues = new ArrayList<>();
        try {
            readCluster(clusterRoot, zones, spotRates, nodes, queues, runningJobs, running, warnings);
        } catch (InputException e) {
            throw e.inDocument(clusterName);
        }
        List<Job> jobs;
        try {
            jobs = readJobs(queue, runningJobs, now, queues);
        } catch (InputException e) {
            throw e.inDocument(jobsName);
        }
        return new Problem(now, horizon, List.copyOf(zones), List.copyOf(nodes), List.copyOf(jobs),
                List.copyOf(running), List.copyOf(queues), List.copyOf(warnings));
    }

    private static JsonField document(JsonNode doc, String name) throws InputException {
        if (doc == null || !doc.isObject()) {
            throw new InputException("", JsonField.text(doc), name + ": the document must be a JSON object");
        }
        return new JsonField(doc, "");
    }

    /** Zone ids with their PUE, in document order. */
    private static Map<String, Double> readZones(JsonField doc) throws InputException {
        Map<String, Double> pueByZone = new LinkedHashMap<>();
        List<JsonNode> zoneItems = doc.array("zones", true);
        for (int i = 0; i < zoneItems.size(); i++) {
            JsonField z = new JsonField(zoneItems.get(i), "zones[" + i + "]");
            String id = z.string("id");
            if (pueByZone.containsKey(id)) {
                throw z.error("id", "\"" + id + "\"", "is used by two zones; zone ids must be unique");
            }
            pueByZone.put(id, z.number("pue", 1.0, 10.0));
        }
        return pueByZone;
    }

    private void readCluster(JsonField doc, List<Zone> zones, Map<String, Double> spotRates, List<Node> nodes,
                             List<Queue> queues, List<Job> runningJobs, List<RunningTask> running,
                             List<String> warnings) throws InputException {
        Map<String, Zone> zoneById = new HashMap<>();
        zones.forEach(z -> zoneById.put(z.id(), z));
        Map<String, Node> nodeById = new HashMap<>();
        List<JsonNode> nodeItems = doc.array("nodes", true);
        for (int i = 0; i < nodeItems.size(); i++) {
            Node node = NodeReader.read(new JsonField(nodeItems.get(i), "nodes[" + i + "]"), i, zoneById, nodeById,
                    mig, spotRates);
            nodeById.put(node.id(), node);
            nodes.add(node);
        }
        Set<String> gpuModels = new HashSet<>();
        nodes.forEach(n -> gpuModels.add(n.gpuModel()));
        queues.addAll(QueueReader.read(doc, gpuModels, warnings));
        Map<String, Job> jobById = new LinkedHashMap<>();
        Set<String> taskKeys = new HashSet<>();
        List<JsonNode> runItems = doc.array("running", false);
        for (int i = 0; i < runItems.size(); i++) {
            JsonField r = new JsonField(runItems.get(i), "running[" + i + "]");
            String jobId = r.string("job");
            int task = (int) r.integer("task", 0, 100_000);
            if (!taskKeys.add(jobId + "#" + task)) {
                throw r.error("task", String.valueOf(task), "appears twice for job \"" + jobId
                        + "\"; each running task is listed once");
            }
            String nodeId = r.string("node");
            Node node = nodeById.get(nodeId);
            if (node == null) {
                throw r.error("node", "\"" + nodeId + "\"", "is not a node of the cluster");
            }
            Job job = jobById.get(jobId);
            if (job == null) {
                job = readJobFields(r, runningJobs.size(), jobId, 0, 0.0, null, null, true, queues);
                jobById.put(jobId, job);
                runningJobs.add(job);
            }
            List<Integer> gpus = r.intList("gpus", 0, Math.max(0, node.gpuCount() - 1));
            if (node.gpuCount() == 0 && !gpus.isEmpty()) {
                throw r.error("gpus", r.raw("gpus"), "lists GPUs but node \"" + nodeId + "\" has none");
            }
            if (new HashSet<>(gpus).size() != gpus.size()) {
                throw r.error("gpus", r.raw("gpus"), "lists a GPU twice");
            }
            GpuDemand demand = job.gpu();
            if (demand.usesGpu() && (demand.kind() == GpuKind.MIG) != node.migEnabled()) {
                throw r.error("node", "\"" + nodeId + "\"", node.migEnabled()
                        ? "is MIG-enabled: its GPUs take only MIG tasks, so a " + demand.kind() + " task cannot run there"
                        : "is not MIG-enabled, so a MIG task cannot run there");
            }
            int expected = demand.gpuIndexCount();
            if (gpus.size() != expected) {
                throw r.error("gpus", r.raw("gpus"), "must list " + expected + " GPU index"
                        + (expected == 1 ? "" : "es") + " for a " + demand.kind() + " task");
            }
            Integer migStart = r.nullableInteger("migStart", 0, MigCatalogue.MEMORY_SLICES - 1);
            if (demand.kind() == GpuKind.MIG) {
                MigProfile profile = node.migProfiles().get(demand.migProfile());
                if (migStart == null) {
                    throw r.error("migStart", "null", "is required for a MIG task");
                }
                if (profile != null && !profile.placementStarts().contains(migStart)) {
                    throw r.error("migStart", String.valueOf(migStart), "is not a placement of profile "
                            + demand.migProfile() + " on " + node.gpuModel() + "; valid: " + profile.placementStarts());
                }
            } else if (migStart != null) {
                throw r.error("migStart", String.valueOf(migStart), "must be null for a " + demand.kind() + " task");
            }
            double remaining = r.number("remainingHours", 0.0, MAX_HOURS);
            boolean migratable = r.optBoolean("migratable", false);
            Instant startedAt = r.optInstant("startedAt");
            running.add(new RunningTask(job, task, node, gpus.stream().mapToInt(Integer::intValue).toArray(),
                    migStart, remaining, migratable, startedAt));
        }
    }

    private List<Job> readJobs(JsonField queue, List<Job> runningJobs, Instant now, List<Queue> queues)
            throws InputException {
        Set<String> runningIds = new HashSet<>();
        runningJobs.forEach(j -> runningIds.add(j.id()));
        Set<String> ids = new HashSet<>();
        List<Job> jobs = new ArrayList<>();
        List<JsonNode> items = queue.array("jobs", true);
        for (int i = 0; i < items.size(); i++) {
            Job job = readPendingJob(new JsonField(items.get(i), "jobs[" + i + "]"), i, runningIds, now, queues);
            if (!ids.add(job.id())) {
                throw new JsonField(items.get(i), "jobs[" + i + "]").error("id", "\"" + job.id() + "\"",
                        "is used by two jobs; job ids must be unique");
            }
            jobs.add(job);
        }
        return jobs;
    }

    /**
     * Reads one pending job, an entry of a jobs document, with the same checks as in a queue; {@code runningJobIds}
     * are the ids it may not take (see {@link #runningJobIds}), {@code now} the start of slot 0. The path names the
     * job in errors, e.g. {@code job}.
     */
    public Job readJob(JsonNode job, String path, Set<String> runningJobIds, Instant now) throws InputException {
        return readJob(job, path, runningJobIds, now, List.of());
    }

    /** The same, resolving the job's queue among the cluster's {@code queues} (section 9). */
    public Job readJob(JsonNode job, String path, Set<String> runningJobIds, Instant now, List<Queue> queues)
            throws InputException {
        if (job == null || !job.isObject()) {
            throw new InputException(path, JsonField.text(job), path + ": must be a JSON object (a pending job)");
        }
        return readPendingJob(new JsonField(job, path), 0, runningJobIds, now, queues);
    }

    /**
     * Reads and checks a document's {@code queues} (section 9) on their own, e.g. a settings file, with the same
     * rules and messages as in a cluster document; flavors are not checked against nodes here.
     */
    public static List<Queue> readQueues(JsonNode doc, String name) throws InputException {
        try {
            return QueueReader.read(document(doc, name), null, new ArrayList<>());
        } catch (InputException e) {
            throw e.inDocument(name);
        }
    }

    /** The ids of the jobs running in a problem: a pending job needs an id of its own. */
    public static Set<String> runningJobIds(Problem problem) {
        Set<String> ids = new HashSet<>();
        problem.running().forEach(r -> ids.add(r.job().id()));
        return Set.copyOf(ids);
    }

    private Job readPendingJob(JsonField j, int index, Set<String> runningIds, Instant now, List<Queue> queues)
            throws InputException {
        String id = j.string("id");
        if (runningIds.contains(id)) {
            throw j.error("id", "\"" + id + "\"", "is already running in the cluster snapshot; a pending job "
                    + "needs an id of its own");
        }
        int tasks = (int) j.integer("tasks", 1, 10_000);
        double duration = j.number("durationHours", 0.0, MAX_HOURS);
        if (duration <= 0) {
            throw j.error("durationHours", j.raw("durationHours"), "must be > 0");
        }
        Instant earliest = slotInstant(j, "earliestStart", now);
        Instant deadline = slotInstant(j, "deadline", now);
        return readJobFields(j, index, id, tasks, duration, earliest, deadline, false, queues);
    }

    /** An optional instant of a job's window; its slot (hours from now) must fit an int. */
    private static Instant slotInstant(JsonField j, String name, Instant now) throws InputException {
        Instant at = j.optInstant(name);
        if (at != null && Math.abs(at.getEpochSecond() - now.getEpochSecond()) / 3600 >= Integer.MAX_VALUE / 2) {
            throw j.error(name, "\"" + at + "\"", "lies too far from now (" + now + "): more than "
                    + Integer.MAX_VALUE / 2 + " hours away");
        }
        return at;
    }

    /** The fields a pending job and a running task share (section 2, all but id, tasks, duration, window). */
    private Job readJobFields(JsonField j, int index, String id, int tasks, double duration, Instant earliest,
                              Instant deadline, boolean running, List<Queue> queues) throws InputException {
        List<String> models = j.stringList("gpuModels");
        GpuDemand demand = readDemand(j.object("gpu"), models);
        String team = j.optString("team", "default");
        return new Job(index, id, team, QueueReader.resolve(j, team, queues), (int) j.integer("priority", 1, 1_000_000),
                tasks, demand, j.integer("cpuMillis", 0, MAX_CPU_MILLIS), j.integer("memoryMiB", 0, MAX_MEMORY_MIB),
                List.copyOf(models), j.enumValue("topology", Topology.class, Topology.ANY),
                j.optBoolean("preemptible", false), j.optNumber("checkpointMinutes", 0.0, 0.0, 1e6),
                j.optNumber("restartMinutes", 0.0, 0.0, 1e6), duration, j.optNumber("utilization", 1.0, 0.0, 1.0),
                earliest, deadline, running);
    }

    private GpuDemand readDemand(JsonField g, List<String> models) throws InputException {
        GpuKind kind = g.enumValue("kind", GpuKind.class, null);
        return switch (kind) {
            case WHOLE -> GpuDemand.whole((int) g.integer("count", 1, 64));
            case SHARED -> GpuDemand.shared((int) g.integer("milli", 1, 1000));
            case NONE -> GpuDemand.none();
            case MIG -> {
                String profile = g.string("profile");
                List<String> candidates = models.isEmpty() ? List.copyOf(mig.models()) : models;
                int slices = -1;
                for (String model : candidates) {
                    MigProfile p = mig.profilesOf(model).get(profile);
                    if (p != null) {
                        slices = p.computeSlices();
                        break;
                    }
                }
                if (slices < 0) {
                    Set<String> known = new java.util.TreeSet<>();
                    candidates.forEach(m -> known.addAll(mig.profilesOf(m).keySet()));
                    throw g.error("profile", "\"" + profile + "\"", "is not a MIG profile of "
                            + (models.isEmpty() ? "any GPU model" : "the allowed gpuModels " + models)
                            + "; known: " + known);
                }
                yield GpuDemand.mig(profile, slices);
            }
        };
    }
}
