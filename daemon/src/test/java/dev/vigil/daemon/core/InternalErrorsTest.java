package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Internal errors are counted by location, with a bound on how many locations are told apart. */
class InternalErrorsTest {
    @Test
    void eachLocationIsFirstOnceAndLocationsPastTheBoundShareOneCount() {
        final InternalErrors errors = new InternalErrors();
        assertThat(errors.record("A.a:1")).isTrue();
        assertThat(errors.record("A.a:1")).isFalse();
        for (int i = 1; i < InternalErrors.LOCATIONS_MAX; i++) {
            assertThat(errors.record("B.b:" + i)).isTrue();
        }
        assertThat(errors.snapshot()).hasSize(InternalErrors.LOCATIONS_MAX);
        assertThat(errors.record("C.c:1")).as("the first beyond the bound").isTrue();
        assertThat(errors.record("C.c:2")).isFalse();
        assertThat(errors.record("A.a:1")).as("a known location keeps its own count").isFalse();
        assertThat(errors.snapshot()).hasSize(InternalErrors.LOCATIONS_MAX + 1);
        assertThat(errors.snapshot().get(InternalErrors.OTHER)).isEqualTo(2);
        assertThat(errors.snapshot().get("A.a:1")).isEqualTo(3);
        assertThat(errors.total()).isEqualTo(2 + (InternalErrors.LOCATIONS_MAX - 1) + 2 + 1);
    }

    @Test
    void theLocationIsTheInnermostVigilFrameOrElseTheInnermostFrame() {
        final RuntimeException e = new RuntimeException("x");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.ArrayList", "get", "ArrayList.java", 427),
            new StackTraceElement("dev.vigil.daemon.tree.TreeNode", "onMessage", "TreeNode.java", 88),
            new StackTraceElement("dev.vigil.daemon.core.NodeCore", "dispatch", "NodeCore.java", 12)});
        assertThat(InternalErrors.location(e)).isEqualTo("TreeNode.onMessage:88");
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement("java.util.ArrayList", "get", "ArrayList.java", 427)});
        assertThat(InternalErrors.location(e)).isEqualTo("ArrayList.get:427");
        e.setStackTrace(new StackTraceElement[0]);
        assertThat(InternalErrors.location(e)).isEqualTo("unknown");
    }
}
