package io.gpuplacer.service.api;

import io.gpuplacer.model.interchange.InputException;

/** Query values of listings: {@code limit} and {@code before} (an id), checked with the usual error. */
final class Paging {

    private Paging() {
    }

    static int limit(String value, int fallback, int max) throws InputException {
        long n = number(value, fallback, "limit");
        if (n < 1 || n > max) {
            throw new InputException("limit", value, "limit: " + value + " must be a whole number from 1 to " + max);
        }
        return (int) n;
    }

    /** Ids below this one; absent: from the newest. */
    static long before(String value) throws InputException {
        long n = number(value, Long.MAX_VALUE, "before");
        if (n < 1) {
            throw new InputException("before", value, "before: " + value + " must be a positive whole number (an id)");
        }
        return n;
    }

    private static long number(String value, long fallback, String field) throws InputException {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InputException(field, value, field + ": " + value + " is not a whole number");
        }
    }
}
