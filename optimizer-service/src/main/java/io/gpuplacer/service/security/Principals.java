package io.gpuplacer.service.security;

import io.gpuplacer.service.text.Shortened;
import io.micronaut.security.authentication.Authentication;

/** The author recorded for a change: the authenticated principal's name. */
public final class Principals {

    /** The longest author the database keeps (its column). */
    public static final int MAX_AUTHOR = 200;

    private Principals() {
    }

    /**
     * The principal's name (a token's name, or a JWT's subject); a longer subject than the column holds is cut,
     * marked with "...", rather than refusing a caller whose identity provider chose it.
     */
    public static String author(Authentication authentication) {
        return cut(authentication == null ? "anonymous" : authentication.getName());
    }

    /** A name cut to the column, marked with "...". */
    public static String cut(String name) {
        return Shortened.to(name, MAX_AUTHOR);
    }
}
