package io.gpuplacer.service.text;

/**
 * Texts bounded for where they go (a database column, an error message, a log line): cut to at most {@code max}
 * characters, the cut marked with "...". The one way the service shortens a text.
 */
public final class Shortened {

    private Shortened() {
    }

    /** The text when it fits (null stays null), else its first {@code max - 3} characters and "...". */
    public static String to(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
