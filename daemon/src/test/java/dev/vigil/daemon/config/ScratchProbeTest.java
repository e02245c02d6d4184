package dev.vigil.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.*;

class ScratchProbeTest {
    @TempDir Path dir;
    static final String BASE = "listen:\n  peer: 10.0.0.1:7400\nidentity:\n  key: k\n  certificate: c\n  ca_public_key: ca\n";
    void p(String name, String yaml) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        try { var c = ConfigLoader.load(f); System.out.println("PROBE " + name + " OK " + c); } catch (Exception e) { System.out.println("PROBE " + name + " " + e.getClass().getSimpleName() + ": " + e.getMessage()); }
    }
    @Test
    void probe() throws Exception {
        p("empty", "");
        p("blank", "\n\n");
        p("comment", "# nothing\n");
        p("tilde", "~\n");
        p("docmarker", "---\n");
        p("base", BASE);
        p("unknownTop", BASE + "peerz: 3\n");
        p("unknownNested", BASE + "liveness:\n  ping_intervall_ms: 100\n");
        p("wrongType", BASE + "peers:\n  max: abc\n");
        p("float", BASE + "peers:\n  max: 8.9\n");
        p("overflow", BASE + "peers:\n  max: 3000000000\n");
        p("longOverflow", BASE + "liveness:\n  ping_interval_ms: 99999999999999999999\n");
        p("dupe", BASE + "peers:\n  max: 8\n  max: 300\n");
        p("dupeTop", BASE + "advertise: 1.2.3.4:1\nadvertise: 5.6.7.8:2\n");
        p("bool", BASE + "peers:\n  max: true\n");
        p("strnum", BASE + "peers:\n  max: \"12\"\n");
        p("listenScalar", "listen: 1.2.3.4:5\n");
        p("bootstrapScalar", BASE + "bootstrap: a:1\n");
        p("bootstrapBad", BASE + "bootstrap:\n  - a:1\n  - nope\n");
        p("bootstrapNested", BASE + "bootstrap:\n  - a:1\n  - [x]\n");
        p("bootstrapMap", BASE + "bootstrap:\n  - a:1\n  - {x: 1}\n");
        p("wildcard", "listen:\n  peer: 0.0.0.0:7400\nidentity:\n  key: k\n  certificate: c\n  ca_public_key: ca\n");
        p("noKey", "listen:\n  peer: 10.0.0.1:7400\nidentity:\n  certificate: c\n  ca_public_key: ca\n");
        p("list", "- a\n- b\n");
        p("scalar", "hello\n");
        p("badyaml", "listen: [\n");
        p("tabs", "listen:\n\tpeer: x\n");
        p("nullMax", BASE + "peers:\n  max:\n");
        p("nullPeers", BASE + "peers:\n");
        p("listenNull", "listen:\nidentity:\n  key: k\n  certificate: c\n  ca_public_key: ca\n");
        p("camel", BASE + "clockSkewMaxMs: 500\n");
        p("twoDocs", BASE + "---\nlisten:\n  peer: 1.1.1.1:1\n");
        p("anchors", BASE + "x: &a 1\n");
    }
}
