package io.gpuplacer.service.state;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code job#task} reads back to the same job and task, whatever the job's id holds ('#' too). */
class TaskKeyTest {

    @Test
    void everyKeyReadsBackToItsJobAndTask() {
        Random random = new Random(7);
        String alphabet = "ab#-_./ 0123456789%Ü";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder job = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                job.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int task = random.nextInt(Integer.MAX_VALUE);
            TaskKey read = TaskKey.parse(TaskKey.of(job.toString(), task));
            assertThat(read).isNotNull();
            assertThat(read.job()).isEqualTo(job.toString());
            assertThat(read.task()).isEqualTo(task);
        }
    }

    @Test
    void textThatIsNoKeyReadsAsNone() {
        assertThat(TaskKey.parse(null)).isNull();
        assertThat(TaskKey.parse("job-without-task")).isNull();
        assertThat(TaskKey.parse("job#x")).isNull();
        assertThat(TaskKey.parse("job#")).isNull();
    }
}
