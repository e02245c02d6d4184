package dev.vigil.simnet.tree;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.simnet.SimFleet;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;
import dev.vigil.simnet.WorldMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prints a small simulated tree with every node's log: a debugging aid, not a test. */
public final class TreeDebug {
    public static void main(final String[] args) {
        final int n = Integer.parseInt(args.length > 0 ? args[0] : "12");
        final int b = Integer.parseInt(args.length > 1 ? args[1] : "4");
        final double seconds = Double.parseDouble(args.length > 2 ? args[2] : "20");
        final SimFleet fleet = new SimFleet(1, WorldMap.defaultMap());
        final Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            final boolean founder = i == 0;
            final SimHost h = fleet.addHost(a -> CoreConfig.defaults(a, founder ? List.of() : List.of(SimFleet.addressOf(0))));
            h.setTreeConfig(TreeConfig.defaults(FeatureSchema.agentDefault().size()).withB(b));
            final int me = i;
            h.setLog(new NodeLog() {
                @Override
                public void info(final String message) {
                    System.out.printf("%8.3f n%-3d %s%n", (fleet.sim().nowMicros() - Simulator.EPOCH_MICROS) / 1e6, me, rename(message, index));
                }

                @Override
                public void warn(final String message) {
                    info("WARN " + message);
                }
            });
            h.setOnStart(core -> {
                final Moments m = new Moments(FeatureSchema.agentDefault().size());
                m.add(new double[FeatureSchema.agentDefault().size()]);
                core.publishLocalSummary(m, 1);
            });
            index.put(h.nodeId(), i);
        }
        for (final SimHost h : fleet.hosts()) {
            fleet.sim().schedule(h.index() == 0 ? 0 : fleet.random().nextLong(2_000_000), h::start);
        }
        fleet.sim().runFor((long)(seconds * 1e6));
        for (final SimHost h : fleet.hosts()) {
            final TreeNode t = h.core().tree();
            final StringBuilder sb = new StringBuilder();
            sb.append("n").append(h.index()).append(t.isRoot() ? " ROOT" : "").append(" top=").append(t.topLevel())
                .append(" root=").append(t.root() == null ? "-" : index.get(t.root().id()));
            for (int l = 0; l < 5; l++) {
                if (t.headAt(l) == 0) {
                    break;
                }
                sb.append(" | L").append(l).append(" head=n").append(index.get(t.headAt(l))).append(" {");
                for (final long id : t.membersAt(l)) {
                    sb.append(index.get(id)).append(' ');
                }
                sb.append("} leaves=").append(t.leavesAt(l));
            }
            System.out.println(sb);
        }
    }

    static String rename(final String message, final Map<Long, Integer> index) {
        String out = message;
        for (final Map.Entry<Long, Integer> e : index.entrySet()) {
            out = out.replace(dev.vigil.crypto.NodeIds.toHex(e.getKey()), "n" + e.getValue());
        }
        return out;
    }
}
