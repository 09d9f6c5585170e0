package io.gpuplacer.connectors.traces;

import io.gpuplacer.model.interchange.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenbTraceTest {

    @Test
    void readsBothPodListLayouts(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("openb_pod_list_default.csv");
        Files.writeString(full, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
                openb-pod-0001,6000,12288,1,460,V100M16|V100M32,LS,Running,427061,12902960,427061
                openb-pod-0002,8000,30000,0,0,,BE,Running,0,0,0
                """);
        Path multi = dir.resolve("openb_pod_list_multigpu50.csv");
        Files.writeString(multi, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli
                openb-pod-0000,12000,16384,4,1000
                """);
        var pods = OpenbTrace.readPods(full);
        assertThat(pods).hasSize(3);
        assertThat(pods.get(1).gpuSpec()).containsExactly("V100M16", "V100M32");
        assertThat(pods.get(1).requestedMilliGpu()).isEqualTo(460);
        assertThat(pods.get(2).requestedMilliGpu()).isZero();
        assertThat(OpenbTrace.readPods(multi)).singleElement().satisfies(p -> {
            assertThat(p.requestedMilliGpu()).isEqualTo(4000);
            assertThat(p.gpuSpec()).isEmpty();
        });
    }

    @Test
    void badRowsAreNamedByFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path nodes = dir.resolve("nodes.csv");
        Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,two,P100\n");
        assertThatThrownBy(() -> OpenbTrace.readNodes(nodes)).isInstanceOf(InputException.class)
                .hasMessage(nodes + ":2: gpu: \"two\" must be a number");
        Path pods = dir.resolve("pods.csv");
        Files.writeString(pods, "name,cpu_milli,memory_mib,num_gpu\np0,1,1,1\n");
        assertThatThrownBy(() -> OpenbTrace.readPods(pods))
                .hasMessageStartingWith(pods + ": column gpu_milli is missing");
        Files.writeString(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,1,1500\n");
        assertThatThrownBy(() -> OpenbTrace.readPods(pods))
                .hasMessage(pods + ":2: gpu_milli: \"1500\" must be 1..1000 when num_gpu > 0");
        assertThatThrownBy(() -> OpenbTrace.readPods(dir.resolve("missing.csv"))).hasMessageContaining("no such file");
    }
}
