package io.gpuplacer.service;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;

/** The HTTP service's OpenAPI identity; the service itself starts from the {@code serve} command. */
@OpenAPIDefinition(info = @Info(title = "gpu-placer", version = "1.0",
        description = "Carbon- and cost-aware placement for GPU clusters: placement oracle, optimization runs, "
                + "weights. Bodies are interchange v1.1 documents; every error has the body {error, field, value}."),
        servers = @Server(url = "http://localhost:8080", description = "the service on its default port"))
public final class ServiceApplication {

    private ServiceApplication() {
    }
}
