package io.gpuplacer.service.kubernetes;

import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.connectors.kubernetes.KubernetesConnection;
import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The one connection to the API server, with {@code gpuplacer.kubernetes.enabled}: watcher, binder, PodGroups. */
@Factory
public class KubernetesFactory {

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "gpuplacer.kubernetes.enabled", value = "true")
    @Requires(notEnv = Modes.TOOL)
    KubernetesConnection connection(KubernetesSettings settings) {
        return KubernetesConnection.open(settings.masterUrl());
    }
}
