package io.gpuplacer.service.state;

/**
 * A task of a job, as maps keyed by task, action targets and the ledger name it: {@code job#task}. A job's id may
 * hold '#' itself: the last one separates the task.
 */
public record TaskKey(String job, int task) {

    public static String of(String job, int task) {
        return job + "#" + task;
    }

    /** Reads {@code job#task} back; null when the text is none. */
    public static TaskKey parse(String key) {
        int cut = key == null ? -1 : key.lastIndexOf('#');
        if (cut < 0) {
            return null;
        }
        try {
            return new TaskKey(key.substring(0, cut), Integer.parseInt(key.substring(cut + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return of(job, task);
    }
}
