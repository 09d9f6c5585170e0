package io.gpuplacer.service.simulate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The FGD paper's published allocation ratios, read from an excerpt of its results file, give the means the
 * paper's own summary states (default workload, over its 10 seeds: FGD 95.227% at 100% arrived, 95.391% at 130%;
 * BestFit 93.076% at 130%).
 */
class PublishedResultsTest {

    @Test
    void theMeansOverSeedsAreThoseOfThePaper() throws Exception {
        Path excerpt = Path.of(getClass().getResource("/fgd/analysis_allo_discrete_default_excerpt.csv").toURI());
        PublishedResults paper = PublishedResults.read(excerpt);
        double[] fgd = paper.mean("openb_pod_list_default", "06-FGD");
        assertThat(fgd[100]).isCloseTo(95.227, within(0.001));
        assertThat(fgd[130]).isCloseTo(95.391, within(0.001));
        assertThat(paper.mean("openb_pod_list_default", "05-BestFit")[130]).isCloseTo(93.076, within(0.001));
        assertThat(paper.mean("openb_pod_list_default", "01-Random")).isNull();
        assertThat(paper.mean("openb_pod_list_gpushare40", "06-FGD")).isNull();
    }
}
