package io.gpuplacer.service.cli;

/** A command line that cannot be run as written: exit code 2, like every input error. */
public class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
