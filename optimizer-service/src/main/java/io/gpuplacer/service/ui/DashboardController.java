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
    private final byte[] icon;

    public DashboardController() {
        index = new String(resource("/dashboard/index.html"), StandardCharsets.UTF_8);
        icon = resource("/dashboard/favicon.svg");
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardController.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Browsers ask for it on any document of the origin (not only the dashboard's, which names its icon). */
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(uri = "/favicon.ico", produces = "image/svg+xml")
    public HttpResponse<byte[]> favicon() {
        return HttpResponse.ok(icon).contentType("image/svg+xml");
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> index() {
        return HttpResponse.ok(index).contentType(MediaType.TEXT_HTML_TYPE);
    }
}
