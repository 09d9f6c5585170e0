package io.gpuplacer.service.ui;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page at {@code /}: static HTML whose scripts (under {@code /ui/}) read the JSON API with the
 * token given at login. The page holds no data, so it is open; the API checks every call.
 */
@Controller
@Hidden
public class DashboardController {

    private final String index;

    public DashboardController() {
        try (InputStream in = DashboardController.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the jar");
            }
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> index() {
        return HttpResponse.ok(index).contentType(MediaType.TEXT_HTML_TYPE);
    }
}
