package io.gpuplacer.service.capacity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart draws what the plan says: its trend, its capacity, its purchases; ids are escaped. */
class CapacityChartTest {

    @Test
    void theChartCarriesThePlansTrendCapacityAndPurchases() throws Exception {
        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Inputs(Histories.read(Histories.csv("A",
                "H100-80GB", 6, h -> 10 + 2.0 * h / 168)), Fleet.read(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"zones\": [{\"id\": \"A\", \"pue\": 1.0}], \"nodes\": []}"), null, "cluster.json"),
                NodeCatalogue.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"nodeTypes\": [{\"id\": "
                        + "\"n<8>\", \"zone\": \"A\", \"gpuModel\": \"H100-80GB\", \"gpuCount\": 8, \"costPerHour\": 1, "
                        + "\"baseWatts\": 1, \"gpuBusyWatts\": 1}]}"), "catalogue.json"), Growth.NONE,
                Histories.START.plusSeconds(3600L * 168 * 6), 2, 0, false, java.util.Map.of(), null));
        String svg = CapacityChart.svg(plan);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg).contains("peak trend: +2.00 GPUs a week, RMSE 0.00");
        assertThat(svg).contains("any H100-80GB");
        // Every purchase is a triangle with its node type, escaped; the capacity a step line.
        assertThat(plan.purchases()).isNotEmpty();
        assertThat(svg).contains(plan.purchases().get(0).count() + " x n&lt;8&gt; in A").doesNotContain("n<8>");
        assertThat(svg).contains("<title>capacity in place</title>");
        assertThat(svg.split("<circle", -1)).hasSize(6 + 1); // a dot per week of history
    }

    @Test
    void textIsEscaped() {
        assertThat(CapacityChart.escape("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
