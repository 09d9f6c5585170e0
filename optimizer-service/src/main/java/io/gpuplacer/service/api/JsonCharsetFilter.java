package io.gpuplacer.service.api;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.errors.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON is UTF-8 (RFC 8259): a body sent with another charset is 415 naming it, before anything tries to decode it
 * (an unknown charset such as utf-7 was a 500 on every JSON endpoint). A Content-Type without a charset is read
 * as UTF-8, and bytes that are not UTF-8 are a 400 ({@link RequestBodies}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class JsonCharsetFilter implements Ordered {

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";]*)\"?",
            Pattern.CASE_INSENSITIVE);

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> utf8Only(HttpRequest<?> request) {
        String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return null;
        }
        Matcher m = CHARSET.matcher(type);
        if (!m.find()) {
            return null;
        }
        String charset = m.group(1).strip();
        if (charset.toLowerCase(Locale.ROOT).equals("utf-8") || charset.toLowerCase(Locale.ROOT).equals("utf8")) {
            return null;
        }
        String shown = Shortened.to(charset, 43);
        return HttpResponse.<ApiError>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new ApiError("Content-Type: charset \"" + shown + "\" is not accepted; JSON bodies are UTF-8 "
                        + "(send charset=utf-8 or none)", "Content-Type", shown));
    }

    /** First: nothing may decode the body before this. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
