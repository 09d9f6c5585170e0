package io.gpuplacer.service;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;

/** The HTTP service's OpenAPI identity; the service itself starts from the {@code serve} command. */
@OpenAPIDefinition(info = @Info(title = "gpu-placer", version = "1.0",
        description = "Carbon- and cost-aware placement for GPU clusters: placement oracle, optimization runs, "
                + "weights. Bodies are interchange v1.1 documents; every error has the body {error, field, value}."),
        servers = @Server(url = "http://localhost:8080", description = "the service on its default port"))
@SecurityScheme(name = "Authorization", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token (gpp_..., made with 'token create' or POST /v1/tokens; the first is in "
                + "admin.token in the data folder) or, when configured, an OIDC JWT. The roles each operation "
                + "admits are listed with it.")
public final class ServiceApplication {

    private ServiceApplication() {
    }
}
