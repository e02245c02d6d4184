package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the demo calls the tree formed, and how it lists it, from hand-written {@code /v1/tree} answers. */
class TreeSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = Map.of("aa", "node0", "bb", "node1", "cc", "node2");

    /** A node's answer: placed under root {@code root}, level-0 head {@code head}; a head lists {@code members}. */
    private static JsonNode node(final String id, final String root, final String head, final List<String> members,
                                 final long fleetNodes) throws Exception {
        final StringBuilder m = new StringBuilder();
        for (final String member : members) {
            m.append(m.length() == 0 ? "" : ",").append("{\"node_id\":\"").append(member).append("\",\"address\":\"127.0.0.1:1\",")
                .append("\"state\":\"alive\",\"rtt_ms\":0.1,\"rtt_predicted_ms\":").append(member.equals(id) ? "null" : "2.5").append('}');
        }
        return JSON.readTree("{\"node_id\":\"" + id + "\",\"placed\":" + (head != null) + ",\"root\":" + id.equals(root)
            + ",\"root_id\":" + (root == null ? "null" : "\"" + root + "\"") + ",\"depth\":1,\"b\":32,\"level0_head_id\":"
            + (head == null ? "null" : "\"" + head + "\"") + ",\"levels\":" + (head == null ? "[]"
            : "[{\"level\":0,\"head_id\":\"" + head + "\",\"head\":" + id.equals(head) + ",\"epoch\":3,\"size\":" + members.size()
            + ",\"contributors\":3,\"leaves\":3,\"agents\":12,\"members\":[" + m + "]}]")
            + ",\"fleet_baseline\":{\"nodes\":" + fleetNodes + ",\"observations\":99}}");
    }

    @Test
    void aTreeIsFormedWhenEveryNodeIsPlacedUnderOneRootThatItsHeadLists() throws Exception {
        final List<String> all = List.of("aa", "bb", "cc");
        final TreeSnapshot s = TreeSnapshot.of(List.of(node("aa", "aa", "aa", all, 3), node("bb", "aa", "aa", List.of(), 3),
            node("cc", "aa", "aa", List.of(), 3)), NAMES, 2.5);
        assertThat(s.formed()).isTrue();
        assertThat(s.formedAfterS()).isEqualTo(2.5);
        assertThat(s.rootCovers(3, 12)).isTrue();
        assertThat(s.rootCovers(3, 13)).isFalse();
        assertThat(s.clusters()).hasSize(1);
        final Map<String, Object> map = s.asMap();
        assertThat(map).containsEntry("root_name", "node0").containsEntry("depth", 1).containsEntry("nodes", 3);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
            .contains("fleet tree: 3 nodes, depth 1 (B 32), root node0 aa")
            .contains("level 0 cluster, head node0 aa: 3 members")
            .contains("node1   bb")
            .contains("held by 3 of 3 nodes");
    }

    @Test
    void aNodeNotPlacedTwoRootsOrANodeItsHeadDoesNotListMeanNotFormed() throws Exception {
        final List<String> all = List.of("aa", "bb", "cc");
        assertThat(TreeSnapshot.of(List.of(node("aa", "aa", "aa", all, 0), node("bb", "aa", "aa", List.of(), 0),
            node("cc", null, null, List.of(), 0)), NAMES, 1).problem()).isEqualTo("node2 is not placed yet");
        assertThat(TreeSnapshot.of(List.of(node("aa", "aa", "aa", List.of("aa", "bb"), 0), node("bb", "aa", "aa", List.of(), 0),
            node("cc", "cc", "cc", List.of("cc"), 0)), NAMES, 1).problem()).startsWith("nodes name different roots");
        final TreeSnapshot notListed = TreeSnapshot.of(List.of(node("aa", "aa", "aa", List.of("aa", "bb"), 0),
            node("bb", "aa", "aa", List.of(), 0), node("cc", "aa", "aa", List.of(), 0)), NAMES, 1);
        assertThat(notListed.problem()).isEqualTo("node2 is not in its head node0's level-0 view");
        assertThat(notListed.formedAfterS()).isNaN();
        assertThat(notListed.root()).isNull();
        assertThat(notListed.rootCovers(3, 12)).isFalse();
        assertThat(notListed.asMap()).containsEntry("formed", false).containsEntry("root_id", null);
    }
}
