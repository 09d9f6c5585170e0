package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleBiFunction;

/** Hourly signals documents for tests: per zone and hour h from {@code from}, the intensity and the price. */
final class TestSignals {

    private TestSignals() {
    }

    /**
     * {@code hours} hours of each zone from {@code from}: carbon(zone, h) g/kWh from {@code provider}, price(zone, h)
     * USD/MWh, and the hours {@code estimated} marked so.
     */
    static ObjectNode hourly(Instant from, int hours, String provider, ToDoubleBiFunction<String, Integer> carbon,
                             ToDoubleBiFunction<String, Integer> price, IntPredicate estimated, String... zones) {
        ObjectNode signals = TestService.JSON.createObjectNode();
        ObjectNode byZone = signals.putObject("zones");
        for (String zone : zones) {
            ObjectNode z = byZone.putObject(zone);
            for (int h = 0; h < hours; h++) {
                String at = from.plus(h, ChronoUnit.HOURS).toString();
                ObjectNode c = z.withArray("carbon").addObject().put("at", at)
                        .put("gPerKWh", carbon.applyAsDouble(zone, h)).put("provider", provider);
                if (estimated.test(h)) {
                    c.put("estimated", true);
                }
                z.withArray("price").addObject().put("at", at).put("usdPerMWh", price.applyAsDouble(zone, h));
            }
        }
        return signals;
    }
}
