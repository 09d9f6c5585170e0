package io.gpuplacer.service.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The OpenAPI document of every endpoint, generated from the controllers at compile time. */
@Controller
@Hidden
@Secured(SecurityRule.IS_AUTHENTICATED)
public class OpenApiController {

    static final String RESOURCE = "META-INF/swagger/gpu-placer-1.0.yml";
    private final String document;

    public OpenApiController() throws IOException {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            document = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    public HttpResponse<String> openApi() {
        return document == null ? HttpResponse.notFound() : HttpResponse.ok(document).contentType(
                MediaType.of("application/yaml"));
    }
}
