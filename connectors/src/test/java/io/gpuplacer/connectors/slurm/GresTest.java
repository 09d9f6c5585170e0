package io.gpuplacer.connectors.slurm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GRES strings in the shapes slurmrestd 22.05 gives them for nodes and for a job's nodes. */
class GresTest {

    @Test
    void aNodesTypedGpusWithTheirSockets() {
        Gres.Gpus gpus = Gres.gpus("gpu:a100:4(S:0-1)");
        assertThat(gpus.type()).isEqualTo("a100");
        assertThat(gpus.count()).isEqualTo(4);
        assertThat(gpus.indices()).isEmpty();
    }

    @Test
    void aJobsDetailNamesItsDeviceIndicesAcrossCommasInsideParentheses() {
        Gres.Gpus gpus = Gres.gpus("nic:1,gpu:h100:3(IDX:0,2-3),mps:100");
        assertThat(gpus.type()).isEqualTo("h100");
        assertThat(gpus.count()).isEqualTo(3);
        assertThat(gpus.indices()).containsExactly(0, 2, 3);
    }

    @Test
    void aJobsTresPerNodeNamesTheKind() {
        Gres.Gpus gpus = Gres.gpus("gres:gpu:a100:2");
        assertThat(gpus.type()).isEqualTo("a100");
        assertThat(gpus.count()).isEqualTo(2);
        assertThat(Gres.gpus("gres/gpu:3").count()).isEqualTo(3);
    }

    @Test
    void untypedGpusAndNone() {
        Gres.Gpus untyped = Gres.gpus("gpu:2(IDX:1-2)");
        assertThat(untyped.type()).isNull();
        assertThat(untyped.count()).isEqualTo(2);
        assertThat(untyped.indices()).containsExactly(1, 2);
        assertThat(Gres.gpus("(null)").count()).isZero();
        assertThat(Gres.gpus("nic:1").count()).isZero();
        assertThat(Gres.gpus(null).count()).isZero();
        assertThat(Gres.gpus("gpu:a100:0(IDX:N/A)").indices()).isEmpty();
    }

    @Test
    void malformedEntriesAreNamed() {
        assertThatThrownBy(() -> Gres.gpus("gpu:a100:four")).hasMessageContaining("gpu:a100:four");
        assertThatThrownBy(() -> Gres.gpus("gpu:a100:2(IDX:0-x)")).hasMessageContaining("0-x");
    }
}
