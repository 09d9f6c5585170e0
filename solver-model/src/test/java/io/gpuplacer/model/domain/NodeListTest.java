package io.gpuplacer.model.domain;

import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.problem.Node;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A NodeList behaves as the list of the same nodes in node order, of any List kind. */
class NodeListTest {

    private static final List<Node> ALL = QueueDocs.problem().nodes();

    @RepeatedTest(100)
    void actsAsAPlainListOfItsNodes(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<Node> some = new ArrayList<>();
        for (Node node : ALL) {
            if (random.nextBoolean()) {
                some.add(node);
            }
        }
        List<Node> shuffled = new ArrayList<>(some);
        java.util.Collections.shuffle(shuffled, random);
        NodeList list = NodeList.of(shuffled);
        assertThat(list).containsExactlyElementsOf(some);
        assertThat(list).isEqualTo(some);
        assertThat(some).isEqualTo(list);
        assertThat(list.hashCode()).isEqualTo(some.hashCode());
        for (Node node : ALL) {
            assertThat(list.contains(node)).isEqualTo(some.contains(node));
            assertThat(list.indexOf(node)).isEqualTo(some.indexOf(node));
            assertThat(list.hasIndex(node.index())).isEqualTo(some.contains(node));
            List<Node> plus = new ArrayList<>(some);
            if (!plus.contains(node)) {
                plus.add(node);
                plus.sort(java.util.Comparator.comparingInt(Node::index));
            }
            NodeList with = list.with(node);
            assertThat(with).isEqualTo(plus);
            assertThat(with.hashCode()).isEqualTo(plus.hashCode());
            assertThat(with.equals(list)).isEqualTo(plus.equals(some));
        }
        assertThat(list.contains("h1")).isFalse();
        // Views of it (as Timefold wraps value ranges) are equal to it and to each other; views of another list
        // of the same nodes too, and of other nodes not.
        List<Node> view = java.util.Collections.unmodifiableList(list);
        assertThat(list.equals(view)).isTrue();
        assertThat(view.equals(java.util.Collections.unmodifiableList(list))).isTrue();
        assertThat(view.equals(java.util.Collections.unmodifiableList(NodeList.of(some)))).isTrue();
        assertThat(list.equals(java.util.Collections.unmodifiableList(new ArrayList<>(some)))).isTrue();
        List<Node> other = new ArrayList<>(ALL);
        other.removeAll(some);
        assertThat(view.equals(java.util.Collections.unmodifiableList(NodeList.of(other))))
                .isEqualTo(other.equals(some));
    }
}
