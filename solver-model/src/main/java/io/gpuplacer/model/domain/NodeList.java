package io.gpuplacer.model.domain;

import io.gpuplacer.model.problem.Node;

import java.util.AbstractList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of nodes in node order, as a value range: its hash is computed once and membership is a bit
 * test. Timefold hashes every entity's value range and checks each value against it when a solution is set; on
 * 12,500 nodes and 30,000 tasks a plain list made that a full scan per task, seconds before the first move
 * (equality with a view of itself is one probe, see {@link #equals}).
 */
public final class NodeList extends AbstractList<Node> implements RandomAccess {

    private static final NodeList EMPTY = new NodeList(new Node[0]);

    private final Node[] nodes;
    private final BitSet members = new BitSet();
    private final int hash;
    /** Found only in this list and the views that delegate to it: how equals knows a view of itself. */
    private final Object self = new Object();

    private NodeList(Node[] nodes) {
        this.nodes = nodes;
        int h = 1;
        for (Node node : nodes) {
            members.set(node.index());
            h = 31 * h + node.hashCode(); // List's own definition, so equal lists of any kind hash alike
        }
        this.hash = h;
    }

    /** The nodes, sorted by index, without repeats. */
    public static NodeList of(Collection<Node> nodes) {
        if (nodes instanceof NodeList list) {
            return list;
        }
        Node[] sorted = nodes.toArray(Node[]::new);
        boolean ascending = true; // the usual case: already in node order, without repeats
        for (int i = 1; i < sorted.length && ascending; i++) {
            ascending = sorted[i - 1].index() < sorted[i].index();
        }
        if (!ascending) {
            sorted = nodes.stream().distinct().sorted(java.util.Comparator.comparingInt(Node::index))
                    .toArray(Node[]::new);
        }
        return sorted.length == 0 ? EMPTY : new NodeList(sorted);
    }

    /** This list with the node too, in its place by index (this list itself when it holds it already). */
    public NodeList with(Node node) {
        if (contains(node)) {
            return this;
        }
        Node[] out = new Node[nodes.length + 1];
        int at = -(search(node.index()) + 1);
        System.arraycopy(nodes, 0, out, 0, at);
        out[at] = node;
        System.arraycopy(nodes, at, out, at + 1, nodes.length - at);
        return new NodeList(out);
    }

    /** Whether the node of that index is in the list. */
    public boolean hasIndex(int index) {
        return members.get(index);
    }

    @Override
    public Node get(int i) {
        return nodes[i];
    }

    @Override
    public int size() {
        return nodes.length;
    }

    @Override
    public boolean contains(Object o) {
        return o == self || indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        if (!(o instanceof Node node) || !members.get(node.index())) {
            return -1;
        }
        int i = search(node.index());
        return i >= 0 && nodes[i].equals(node) ? i : -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        return indexOf(o);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof NodeList other) {
            return other.hash == hash && java.util.Arrays.equals(other.nodes, nodes);
        }
        if (!(o instanceof List<?> list) || list.hashCode() != hash) {
            return false;
        }
        // Timefold wraps each entity's range in an unmodifiable view and compares the views when it merges equal
        // ranges: a view of this very list says so at once, instead of an element-by-element walk per entity.
        return list.contains(self) || super.equals(o);
    }

    /** Binary search by node index: the position, or -(insertion point) - 1. */
    private int search(int index) {
        int lo = 0;
        int hi = nodes.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = nodes[mid].index();
            if (at < index) {
                lo = mid + 1;
            } else if (at > index) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
