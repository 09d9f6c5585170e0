package io.gpuplacer.model.interchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes whole files or nothing: the text goes to a temporary sibling that is then moved over the target, so a
 * reader never sees half a file and a failure leaves any old file as it was.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void writeString(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // A temporary file is private (rw-------); the result is an ordinary file others may read.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
