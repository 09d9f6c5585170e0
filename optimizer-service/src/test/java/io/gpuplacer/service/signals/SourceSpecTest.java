package io.gpuplacer.service.signals;

import io.gpuplacer.connectors.signals.HttpJson;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceSpecTest {

    private static final String P = "gpuplacer.signals.sources";

    private static SourceSpec one(Map<String, Object> entry) {
        return SourceSpec.parseAll(P, List.of(entry)).get(0);
    }

    @Test
    void anEntryKeepsTheZonesCaseAndReadsKebabOrCamelKeys() {
        SourceSpec spec = one(Map.of("zone", "DE-LU", "signal", "carbon", "provider", "electricitymaps",
                "providerZone", "DE", "token", "t"));
        assertThat(spec.target()).isEqualTo("DE-LU");
        assertThat(spec.setting("provider-zone")).isEqualTo("DE");
        assertThat(spec.key()).isEqualTo("DE-LU/carbon/electricitymaps");
        assertThat(SourceFactory.create(spec, HttpJson.defaults(), Clock.systemUTC()).provider())
                .isEqualTo("electricitymaps");
    }

    @Test
    void everyMistakeNamesTheEntryAndTheKey() {
        assertThatThrownBy(() -> one(Map.of("zone", "GB", "signal", "wind", "provider", "x")))
                .hasMessage(P + "[0].signal: \"wind\" is not a signal; valid: carbon, price, spot");
        assertThatThrownBy(() -> one(Map.of("zone", "GB", "signal", "carbon", "provider", "emaps")))
                .hasMessage(P + "[0].provider: \"emaps\" is not a carbon provider; valid: uk-carbon-intensity, "
                        + "electricitymaps, watttime");
        assertThatThrownBy(() -> one(Map.of("signal", "price", "provider", "csv")))
                .hasMessageStartingWith(P + "[0].zone: missing");
        assertThatThrownBy(() -> one(Map.of("zone", "p", "signal", "spot", "provider", "fixed")))
                .hasMessageStartingWith(P + "[0].pool: missing");
        assertThatThrownBy(() -> SourceSpec.parseAll(P, List.of("GB")))
                .hasMessageStartingWith(P + "[0]: must be a map");
        Map<String, Object> gb = Map.of("zone", "GB", "signal", "carbon", "provider", "uk-carbon-intensity");
        assertThatThrownBy(() -> SourceSpec.parseAll(P, List.of(gb, gb)))
                .hasMessage(P + "[1]: GB/carbon/uk-carbon-intensity is configured twice (also " + P + "[0])");
    }

    @Test
    void aProvidersSettingThatCannotWorkIsRefusedWhenTheSourceIsMade() {
        assertThatThrownBy(() -> make(Map.of("zone", "GB", "signal", "carbon", "provider", "uk-carbon-intensity",
                "url", "ftp://x")))
                .hasMessage(P + "[0].url: \"ftp://x\" is not an http(s) URL");
        assertThatThrownBy(() -> make(Map.of("zone", "GB", "signal", "carbon", "provider", "uk-carbon-intensity",
                "region-id", "40")))
                .hasMessage(P + "[0].region-id: \"40\" must be a number of 1.0..17.0");
        assertThatThrownBy(() -> make(Map.of("zone", "X", "signal", "carbon", "provider", "watttime",
                "signal-type", "co2", "region", "R")))
                .hasMessageStartingWith(P + "[0].signal-type: watttime: signal_type \"co2\"");
        assertThatThrownBy(() -> make(Map.of("zone", "X", "signal", "carbon", "provider", "watttime")))
                .hasMessage(P + "[0].region: missing; provider watttime needs it");
        assertThatThrownBy(() -> make(Map.of("zone", "X", "signal", "price", "provider", "csv")))
                .hasMessage(P + "[0].url: missing; provider csv needs it");
        assertThatThrownBy(() -> make(Map.of("pool", "p", "signal", "spot", "provider", "fixed",
                "interruption-per-hour", "2")))
                .hasMessage(P + "[0].interruption-per-hour: \"2\" must be a number of 0.0..1.0");
    }

    private static void make(Map<String, Object> entry) {
        SourceFactory.create(one(entry), HttpJson.defaults(), Clock.systemUTC());
    }
}
