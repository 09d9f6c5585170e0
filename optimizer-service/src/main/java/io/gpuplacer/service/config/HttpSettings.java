package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code gpuplacer.http.*}.
 *
 * @param headerTimeout a connection must send its request line and headers within this time, or it is closed
 *                      (1s..1h)
 */
@ConfigurationProperties("gpuplacer.http")
public record HttpSettings(@Bindable(defaultValue = "20s") Duration headerTimeout) {

    public HttpSettings {
        Durations.within("gpuplacer.http.header-timeout", headerTimeout, "1s", "1h");
    }
}
