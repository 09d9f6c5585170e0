package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A cluster snapshot or signals document as it was given, kept for reading back and restoring: gzip-compressed
 * ({@code bodyGz}); versions stored before V11 hold their text in {@code body}.
 */
@MappedEntity("state_version")
public record StateVersionRecord(@Id @GeneratedValue @Nullable Long id, String kind, @Nullable String body,
                                 @Nullable byte[] bodyGz, String createdBy, Instant createdAt,
                                 @Nullable Long restoredFrom) {

    /** A new version of a document, compressed. */
    public static StateVersionRecord of(String kind, String text, String createdBy, Instant createdAt,
                                        Long restoredFrom) {
        return new StateVersionRecord(null, kind, null, gzip(text), createdBy, createdAt, restoredFrom);
    }

    /** The document as it was given. */
    public String text() {
        return bodyGz == null ? body : gunzip(bodyGz);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, text.length() / 16));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] zipped) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(zipped), 1 << 16)) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored state version does not decompress", e);
        }
    }
}
