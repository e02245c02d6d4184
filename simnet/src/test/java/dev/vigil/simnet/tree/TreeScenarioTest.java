package dev.vigil.simnet.tree;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.simnet.HostStats;
import dev.vigil.simnet.TreeScenario;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TreeScenarioTest {
    @Test
    void smallTreeConverges() throws Exception {
        final int n = Integer.getInteger("vigil.tree.nodes", 120);
        final Map<String, Object> report = TreeScenario.run(
            TreeScenario.Params.of(TreeScenario.Kind.tree, n, 1).withB(Integer.getInteger("vigil.tree.b", 8)), new HostStats());
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        assertThat(report.get("converged")).isEqualTo(true);
        assertThat((List<?>)report.get("invariants_failed")).isEmpty();
    }
}
