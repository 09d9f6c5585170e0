package io.gpuplacer.connectors.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * Slurm's GRES strings as slurmrestd gives them: a node's {@code gpu:a100:4(S:0-1)}, a job's per-node detail
 * {@code gpu:a100:2(IDX:0-1)} or {@code gpu:2(IDX:0,3)}, a job's TRES per node {@code gres:gpu:a100:2}, several
 * kinds joined by commas outside parentheses.
 */
final class Gres {

    /** The GPUs of a GRES string: their type (null when untyped) and count; count 0 when there are none. */
    record Gpus(String type, int count, int[] indices) {
        static final Gpus NONE = new Gpus(null, 0, new int[0]);
    }

    private Gres() {
    }

    /** The {@code gpu} entry of a GRES string (null or "(null)" for none); throws naming a malformed entry. */
    static Gpus gpus(String gres) {
        if (gres == null || gres.isBlank() || gres.equals("(null)") || gres.equals("N/A")) {
            return Gpus.NONE;
        }
        for (String entry : entries(gres)) {
            String plain = entry;
            String detail = null;
            int open = entry.indexOf('(');
            if (open >= 0) {
                plain = entry.substring(0, open);
                detail = entry.substring(open + 1, entry.lastIndexOf(')') > open ? entry.lastIndexOf(')') : entry.length());
            }
            // A job's TRES per node carries the kind: gres:gpu:a100:2 (or gres/gpu:a100:2).
            if (plain.startsWith("gres:") || plain.startsWith("gres/")) {
                plain = plain.substring(5);
            }
            String[] parts = plain.split(":");
            if (!parts[0].equals("gpu")) {
                continue;
            }
            try {
                int count = parts.length == 1 ? 1 : Integer.parseInt(parts[parts.length - 1]);
                String type = parts.length == 3 ? parts[1] : null;
                return new Gpus(type, count, indices(detail));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GRES \"" + entry + "\": the GPU count is not a number");
            }
        }
        return Gpus.NONE;
    }

    /** The entries of a GRES string, split at commas outside parentheses. */
    private static List<String> entries(String gres) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < gres.length(); i++) {
            char c = gres.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(gres.substring(from, i).trim());
                from = i + 1;
            }
        }
        out.add(gres.substring(from).trim());
        return out;
    }

    /** The device indices of a detail such as {@code IDX:0-1,3} (none without IDX, or IDX:N/A). */
    private static int[] indices(String detail) {
        if (detail == null || !detail.startsWith("IDX:") || detail.equals("IDX:N/A")) {
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        for (String range : detail.substring(4).split(",")) {
            String[] ends = range.split("-");
            try {
                int from = Integer.parseInt(ends[0].trim());
                int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GRES detail \"" + detail + "\": \"" + range + "\" is not an index "
                        + "or a range of them");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
