package io.gpuplacer.service.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

/**
 * The JWT for slurmrestd: the configured one, or the token file's content read again on every call (so a renewed
 * file takes effect at once). {@code scontrol token} prints {@code SLURM_JWT=...}; either form is taken. Its expiry
 * is read from the token's claims (unverified: slurmctld verifies it) for /health and the warning before it ends.
 */
final class SlurmToken {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String fixed;
    private final Path file;

    SlurmToken(String token, String tokenFile) {
        this.fixed = token == null || token.isBlank() ? null : strip(token);
        this.file = tokenFile == null || tokenFile.isBlank() ? null : Path.of(tokenFile);
    }

    /** The token now; a file that cannot be read is an error naming the file, never its content. */
    String get() {
        if (fixed != null) {
            return fixed;
        }
        try {
            String token = strip(Files.readString(file, StandardCharsets.UTF_8));
            if (token.isEmpty()) {
                throw new IllegalStateException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("the token file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    /** When the token ends (its {@code exp} claim), or null when it does not say. */
    Instant expiresAt() {
        try {
            String[] parts = get().split("\\.");
            if (parts.length < 2) {
                return null;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.has("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String strip(String text) {
        String t = text.trim();
        return t.startsWith("SLURM_JWT=") ? t.substring("SLURM_JWT=".length()).trim() : t;
    }
}
