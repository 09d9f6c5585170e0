package io.gpuplacer.connectors.signals.awsspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.signals.SourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** An excerpt of the real feed (test resources): GPU pools of us-east-1 and eu-west-1. */
class SpotAdvisorTest {

    private static JsonNode feed() throws Exception {
        return new ObjectMapper().readTree(SpotAdvisorTest.class.getResourceAsStream("/signals/spot-advisor-excerpt.json"));
    }

    @Test
    void aPoolsBucketBecomesAnHourlyRateFromTheMiddleOfItsRange() throws Exception {
        SpotAdvisor advisor = SpotAdvisor.of(feed());
        SpotAdvisor.Risk p4d = advisor.risk("us-east-1", "Linux", "p4d.24xlarge").orElseThrow();
        assertThat(p4d.label()).isEqualTo("10-15%");
        assertThat(p4d.monthlyShare()).isEqualTo(0.125);
        // Over a month at that rate, the chance of no interruption is 1 - 12.5%.
        assertThat(Math.exp(-p4d.interruptionPerHour() * 730)).isCloseTo(0.875, within(1e-12));
        assertThat(p4d.savingsPercent()).isEqualTo(67);
        SpotAdvisor.Risk g5 = advisor.risk("us-east-1", "Linux", "g5.xlarge").orElseThrow();
        assertThat(g5.label()).isEqualTo(">20%");
        assertThat(Math.exp(-g5.interruptionPerHour() * 730)).isCloseTo(0.75, within(1e-12));
        SpotAdvisor.Risk g4dn = advisor.risk("eu-west-1", "Linux", "g4dn.xlarge").orElseThrow();
        assertThat(g4dn.monthlyShare()).isEqualTo(0.075);
        assertThat(g4dn.interruptionPerHour()).isLessThan(p4d.interruptionPerHour());
        assertThat(advisor.risk("eu-west-1", "Linux", "p5.48xlarge")).isEmpty();
        assertThat(SpotAdvisor.share("<5%")).isEqualTo(0.025);
    }

    @Test
    void aFeedThatDoesNotReadIsRejected() throws Exception {
        ObjectNode bad = (ObjectNode) feed();
        ((ObjectNode) bad.get("spot_advisor").get("us-east-1").get("Linux").get("g5.xlarge")).put("r", 9);
        assertThatThrownBy(() -> SpotAdvisor.of(bad).risk("us-east-1", "Linux", "g5.xlarge"))
                .isInstanceOfSatisfying(SourceException.class,
                        e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.MALFORMED));
        assertThatThrownBy(() -> SpotAdvisor.of(new ObjectMapper().readTree("{\"ranges\": []}")))
                .isInstanceOf(SourceException.class);
    }
}
