package io.gpuplacer.connectors.slurm;

import io.gpuplacer.connectors.slurm.v0038.model.V0038JobResponseProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugins of examples/slurm on a real Slurm 22.05 cluster, and the service's hand-back through slurmrestd: a GPU
 * job with --deadline is held and marked on submission, any other job runs at once; a held job handed back begins
 * at the chosen hour on the chosen nodes (scontrol says so), or at once on them.
 */
class SlurmHandBackTest {

    private static SlurmCluster slurm;
    private static SlurmRest rest;

    @BeforeAll
    static void start() throws Exception {
        slurm = SlurmCluster.startWithPlugins(List.of(new SlurmCluster.NodeSpec("a1", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("a2", "a100", 4, 8, 16000)), Path.of("..", "examples", "slurm"));
        String token = slurm.token(Duration.ofHours(1));
        rest = new SlurmRest(URI.create(slurm.url()), "root", () -> token, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (slurm != null) {
            slurm.close();
        }
    }

    private static String deadline(int hours) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC)
                .format(Instant.now().plus(hours, ChronoUnit.HOURS));
    }

    private static V0038JobResponseProperties job(String id) throws Exception {
        return rest.jobs().stream().filter(j -> String.valueOf(j.getJobId()).equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDeferrableGpuJobIsHeldAndMarkedAndOthersRunAtOnce() throws Exception {
        String deferrable = slurm.sbatch("-N", "1", "--gres=gpu:a100:1", "--time=60", "--deadline=" + deadline(10),
                "--output=/dev/null", "--wrap", "sleep 600");
        String plain = slurm.sbatch("-N", "1", "--gres=gpu:a100:1", "--time=60", "--output=/dev/null", "--wrap",
                "sleep 600");
        String cpuOnly = slurm.sbatch("-N", "1", "--time=60", "--deadline=" + deadline(10), "--output=/dev/null",
                "--wrap", "sleep 600");
        try {
            slurm.awaitState(plain, "RUNNING", Duration.ofSeconds(30));
            slurm.awaitState(cpuOnly, "RUNNING", Duration.ofSeconds(30));
            V0038JobResponseProperties held = job(deferrable);
            assertThat(held.getJobState()).isEqualTo("PENDING");
            assertThat(held.getStateReason()).isEqualTo("JobHeldUser");
            assertThat(held.getComment()).isEqualTo(SlurmRest.DEFERRABLE);
            assertThat(job(plain).getComment()).as("left as it is").isNullOrEmpty();
        } finally {
            slurm.run("scancel", deferrable, plain, cpuOnly);
        }
    }

    @Test
    void aHeldJobHandedBackBeginsAtTheChosenHourOnTheChosenNodes() throws Exception {
        String id = slurm.sbatch("-N", "2", "--gres=gpu:a100:1", "--time=60", "--deadline=" + deadline(20),
                "--output=/dev/null", "--wrap", "sleep 600");
        try {
            Instant now = Instant.now();
            Instant hour = now.truncatedTo(ChronoUnit.HOURS).plus(3, ChronoUnit.HOURS);
            rest.handBack(Long.parseLong(id), hour, List.of("a1", "a2"), now);
            String shown = slurm.run("scontrol", "show", "job", id);
            assertThat(shown).contains("StartTime=" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                    .withZone(ZoneOffset.UTC).format(hour));
            assertThat(shown).contains("ReqNodeList=a1,a2").doesNotContain("JobHeldUser").doesNotContain("Prefer=gpu");
            V0038JobResponseProperties job = job(id);
            assertThat(job.getPriority()).as("released").isPositive();
            assertThat(job.getJobState()).isEqualTo("PENDING");
        } finally {
            slurm.run("scancel", id);
        }
    }

    @Test
    void aHeldJobHandedBackForNowRunsAtOnceOnItsNode() throws Exception {
        String id = slurm.sbatch("-N", "1", "--gres=gpu:a100:2", "--time=60", "--deadline=" + deadline(5),
                "--output=/dev/null", "--wrap", "sleep 600");
        try {
            assertThat(job(id).getStateReason()).isEqualTo("JobHeldUser");
            Instant now = Instant.now();
            rest.handBack(Long.parseLong(id), now, List.of("a2"), now);
            slurm.awaitState(id, "RUNNING", Duration.ofSeconds(30));
            assertThat(slurm.run("squeue", "-h", "-j", id, "-o", "%N").trim()).isEqualTo("a2");
        } finally {
            slurm.run("scancel", id);
        }
    }
}
