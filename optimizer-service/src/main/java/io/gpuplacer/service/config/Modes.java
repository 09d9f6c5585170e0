package io.gpuplacer.service.config;

/** The Micronaut environments the jar runs in, for beans that belong to one of them only. */
public final class Modes {

    /**
     * A command-line tool on the service's database ({@code token ...}): the database and its repositories, but
     * none of the service's background work (loading the state, failing interrupted runs, making the first token).
     */
    public static final String TOOL = "tool";

    private Modes() {
    }
}
