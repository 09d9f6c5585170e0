package io.gpuplacer.service.config;

/**
 * Checks for one entry of a configured list ({@code gpuplacer.kubernetes.zones[2]}), naming the entry and key; a
 * value that does not read as its type is named by {@link SettingLists}, which sees the text as given.
 */
final class ListEntries {

    private ListEntries() {
    }

    static String required(String where, String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(where + "." + key + ": missing");
        }
        return value.strip();
    }

    static double within(String where, String key, Double value, double min, double max, Double fallback) {
        if (value == null && fallback != null) {
            return fallback;
        }
        if (value == null || !(value >= min && value <= max)) {
            throw new IllegalArgumentException(where + "." + key + ": " + (value == null ? "missing" : value)
                    + "; must be a number of " + min + ".." + max);
        }
        return value;
    }
}
