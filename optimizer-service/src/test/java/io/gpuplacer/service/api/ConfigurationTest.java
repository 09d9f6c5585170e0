package io.gpuplacer.service.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting out of range stops the service at start-up, with a message naming the key and the value. */
class ConfigurationTest {

    @Test
    void aHorizonOutOfRangeStopsTheStartNamingTheKey() {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try {
            Map<String, Object> props = new HashMap<>(db.properties());
            props.put("micronaut.server.port", -1);
            props.put("gpuplacer.horizon-hours", 500);
            assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, props).close())
                    .hasStackTraceContaining("gpuplacer.horizon-hours (GPUPLACER_HORIZON_HOURS) must be 1..168");
        } finally {
            TestDatabase.drop(db);
        }
    }
}
