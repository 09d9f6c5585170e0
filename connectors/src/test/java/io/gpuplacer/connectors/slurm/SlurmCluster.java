package io.gpuplacer.connectors.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real Slurm cluster on this host for tests (Debian's slurm-wlm 22.05, slurmrestd, munge, the JWT plugin; tools/test
 * installs them): munged with a key of its own, slurmctld, one {@code slurmd -N <name>} per node on a port of its
 * own with fake GPU device files for its GRES, and slurmrestd with JWT auth on a free port, all in a temporary
 * directory and stopped by {@link #close}. Every node is in partition {@code gpu}; its features are its zone.
 * Needs root (slurmd starts jobs as their user); a missing binary or a daemon that does not come up fails the test
 * with the daemon's log, never skips it.
 */
public final class SlurmCluster implements AutoCloseable {

    /** One node: name, GRES type and count of GPUs, CPUs, memory (MiB). */
    public record NodeSpec(String name, String gpuType, int gpus, int cpus, long memoryMiB) {
    }

    private static final List<String> BINARIES = List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
            "/usr/sbin/slurmrestd", "/usr/bin/scontrol", "/usr/bin/sbatch", "/usr/bin/sinfo", "/usr/bin/scancel");

    private final Path dir;
    private final List<Process> daemons = new ArrayList<>();
    private final List<NodeSpec> nodes;
    private final int restPort;
    private final Map<String, String> env;

    private SlurmCluster(Path dir, List<NodeSpec> nodes, int restPort) {
        this.dir = dir;
        this.nodes = nodes;
        this.restPort = restPort;
        this.env = Map.of("SLURM_CONF", dir.resolve("slurm.conf").toString());
    }

    /** Starts the cluster and waits until every node is idle and slurmrestd answers. */
    public static SlurmCluster start(List<NodeSpec> nodes, String extraConfig) throws IOException, InterruptedException {
        return start(nodes, extraConfig, Map.of());
    }

    /**
     * With the project's plugins (examples/slurm: cli_filter.lua holds deferrable GPU jobs, job_submit.lua pins a
     * handed-back job to its nodes); {@code examples} is that directory as the caller's module sees it.
     */
    public static SlurmCluster startWithPlugins(List<NodeSpec> nodes, Path examples)
            throws IOException, InterruptedException {
        return start(nodes, "JobSubmitPlugins=lua\nCliFilterPlugins=lua\n",
                Map.of("job_submit.lua", examples.resolve("job_submit.lua"),
                        "cli_filter.lua", examples.resolve("cli_filter.lua")));
    }

    /** The same, with files put beside slurm.conf first (plugins' scripts: job_submit.lua, cli_filter.lua). */
    public static SlurmCluster start(List<NodeSpec> nodes, String extraConfig, Map<String, Path> besideConfig)
            throws IOException, InterruptedException {
        for (String binary : BINARIES) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: install slurm-wlm, slurmrestd, munge and "
                        + "slurm-wlm-jwt-plugin (tools/test does when it runs as root)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the Slurm tests run slurmd, which starts jobs as their user: run them as "
                    + "root (CI does)");
        }
        // slurmrestd runs as nobody and reads slurm.conf: the directory is readable by all, the keys by root only.
        Path dir = Files.createTempDirectory("gpuplacer-slurm-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        int ctldPort = freePort();
        int restPort = freePort();
        SlurmCluster cluster = new SlurmCluster(dir, nodes, restPort);
        try {
            cluster.configure(ctldPort, extraConfig);
            for (Map.Entry<String, Path> file : besideConfig.entrySet()) {
                Files.copy(file.getValue(), dir.resolve(file.getKey()));
            }
            cluster.launch();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void configure(int ctldPort, String extraConfig) throws IOException {
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        Files.createDirectories(dir.resolve("dev"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Files.write(dir.resolve("munge.key"), key);
        byte[] jwt = new byte[32];
        new SecureRandom().nextBytes(jwt);
        Files.write(dir.resolve("jwt.key"), jwt);
        Files.setPosixFilePermissions(dir.resolve("jwt.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("munge.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        String host = hostname();
        StringBuilder conf = new StringBuilder();
        conf.append("ClusterName=gpuplacer\n")
                .append("SlurmctldHost=").append(host).append("(127.0.0.1)\n")
                .append("SlurmctldPort=").append(ctldPort).append('\n')
                .append("SlurmUser=root\nSlurmdUser=root\n")
                .append("AuthType=auth/munge\nAuthInfo=socket=").append(dir.resolve("munge.sock")).append('\n')
                .append("AuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key=").append(dir.resolve("jwt.key")).append('\n')
                .append("StateSaveLocation=").append(dir.resolve("state")).append('\n')
                .append("SlurmdSpoolDir=").append(dir.resolve("spool")).append("/%n\n")
                .append("SlurmctldPidFile=").append(dir.resolve("slurmctld.pid")).append('\n')
                .append("SlurmdPidFile=").append(dir.resolve("slurmd.%n.pid")).append('\n')
                .append("SlurmctldLogFile=").append(dir.resolve("slurmctld.log")).append('\n')
                .append("SlurmdLogFile=").append(dir.resolve("slurmd.%n.log")).append('\n')
                .append("ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n")
                .append("SelectType=select/cons_tres\nSelectTypeParameters=CR_Core_Memory\nGresTypes=gpu\n")
                .append("SchedulerType=sched/backfill\nMpiDefault=none\nReturnToService=2\n")
                // The nodes are what this file says, not what the one host has.
                .append("SlurmdParameters=config_overrides\n")
                .append("JobCompType=jobcomp/none\nAccountingStorageType=accounting_storage/none\n")
                .append("JobAcctGatherType=jobacct_gather/none\nSlurmctldTimeout=30\nSlurmdTimeout=60\n")
                .append("SchedulerParameters=sched_interval=1\n");
        StringBuilder gres = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (NodeSpec node : nodes) {
            int port = freePort();
            conf.append("NodeName=").append(node.name()).append(" NodeHostname=").append(host)
                    .append(" NodeAddr=127.0.0.1 Port=").append(port).append(" CPUs=").append(node.cpus())
                    .append(" RealMemory=").append(node.memoryMiB()).append(" Feature=zone-a");
            if (node.gpus() > 0) {
                conf.append(" Gres=gpu:").append(node.gpuType()).append(':').append(node.gpus());
                for (int g = 0; g < node.gpus(); g++) {
                    Files.createFile(dir.resolve("dev").resolve(node.name() + "-nvidia" + g));
                }
                gres.append("NodeName=").append(node.name()).append(" Name=gpu Type=").append(node.gpuType())
                        .append(" File=").append(dir.resolve("dev")).append('/').append(node.name())
                        .append("-nvidia[0-").append(node.gpus() - 1).append("]\n");
            }
            conf.append(" State=UNKNOWN\n");
            names.add(node.name());
        }
        conf.append("PartitionName=gpu Nodes=").append(String.join(",", names))
                .append(" Default=YES MaxTime=INFINITE State=UP\n");
        conf.append(extraConfig == null ? "" : extraConfig);
        Files.writeString(dir.resolve("slurm.conf"), conf);
        Files.writeString(dir.resolve("gres.conf"), gres);
        Files.writeString(dir.resolve("cgroup.conf"), "CgroupPlugin=cgroup/v1\n");
    }

    private void launch() throws IOException, InterruptedException {
        String conf = dir.resolve("slurm.conf").toString();
        daemon("munged", "/usr/sbin/munged", "-F", "--force", "--socket=" + dir.resolve("munge.sock"),
                "--key-file=" + dir.resolve("munge.key"), "--pid-file=" + dir.resolve("munged.pid"),
                "--log-file=" + dir.resolve("munged.log"), "--seed-file=" + dir.resolve("munged.seed"));
        waitFor("munged's socket", Duration.ofSeconds(20), () -> Files.exists(dir.resolve("munge.sock")), "munged.log");
        daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-i", "-f", conf);
        for (NodeSpec node : nodes) {
            daemon("slurmd-" + node.name(), "/usr/sbin/slurmd", "-D", "-f", conf, "-N", node.name());
        }
        waitFor("every node idle", Duration.ofSeconds(60), () -> {
            String out = run("sinfo", "-h", "-N", "-o", "%N %t");
            return out.lines().filter(l -> l.endsWith(" idle")).count() == nodes.size();
        }, "slurmctld.log");
        // slurmrestd refuses to run as root; it reads slurm.conf and the JWT key as that user.
        daemon("slurmrestd", "/usr/sbin/slurmrestd", "-f", conf, "-a", "rest_auth/jwt", "-s", "openapi/v0.0.38",
                "-u", "nobody", "-g", "nogroup", "127.0.0.1:" + restPort);
        waitFor("slurmrestd", Duration.ofSeconds(30), () -> restAnswers(), "slurmrestd.log");
    }

    private void daemon(String name, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name.startsWith("slurmrestd") ? "slurmrestd.log" : name + ".out").toFile());
        pb.environment().putAll(env);
        if (name.equals("slurmrestd")) {
            pb.environment().put("SLURM_JWT", "daemon"); // JWT auth only (no local socket); the others use munge
        }
        daemons.add(pb.start());
    }

    private boolean restAnswers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/slurm/v0.0.38/ping").toURL().openConnection();
            c.setRequestProperty("X-SLURM-USER-NAME", "root");
            c.setRequestProperty("X-SLURM-USER-TOKEN", token(Duration.ofMinutes(5)));
            c.setConnectTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void waitFor(String what, Duration limit, BooleanSupplier ready, String log)
            throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            boolean up;
            try {
                up = ready.getAsBoolean();
            } catch (RuntimeException e) {
                up = false; // a daemon not up yet: the client says so
            }
            if (up) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Slurm test cluster: no " + what + " after " + limit.toSeconds() + " s; "
                + log + ":\n" + tail(dir.resolve(log)));
    }

    /** slurmrestd's base URL. */
    public String url() {
        return "http://127.0.0.1:" + restPort;
    }

    /** A JWT for root from {@code scontrol token}. */
    public String token(Duration lifespan) {
        String out = run("scontrol", "token", "username=root", "lifespan=" + lifespan.toSeconds()).trim();
        if (!out.startsWith("SLURM_JWT=")) {
            throw new IllegalStateException("scontrol token: " + out);
        }
        return out.substring("SLURM_JWT=".length());
    }

    /** Runs a Slurm command (scontrol, sbatch, squeue ...) against this cluster; its output, or a failure. */
    public String run(String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits a batch job; its id. */
    public String sbatch(String... options) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(List.of(options));
        return run(command.toArray(String[]::new)).trim();
    }

    /** Waits until the job is in the state (squeue's %T, e.g. RUNNING). */
    public void awaitState(String jobId, String state, Duration limit) throws InterruptedException {
        waitFor("job " + jobId + " " + state, limit,
                () -> run("squeue", "-h", "-j", jobId, "-o", "%T").trim().equals(state), "slurmctld.log");
    }

    /** Stops slurmrestd alone (the service must then keep its last snapshot). */
    public void stopRest() throws InterruptedException {
        for (Process p : daemons) {
            if (p.info().command().orElse("").endsWith("slurmrestd")) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        try {
            run("scancel", "--user=root"); // the jobs first: slurmd's steps outlive it
        } catch (RuntimeException e) {
            // the controller may be down already
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).destroy();
        }
        for (Process p : daemons) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Jobs slurmd started outlive it (proctrack/linuxproc): end them too.
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(h -> h.info().commandLine().orElse("").contains(dir.toString())).forEach(ProcessHandle::destroy);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind at worst
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String hostname() throws IOException {
        try {
            Process p = new ProcessBuilder("hostname").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
