package dev.vigil.simnet.fleet;

/**
 * A gateway host that observes some agents: an LLM gateway, a tool server or an egress proxy.
 *
 * @param id    "llm-gateway-00", "tool-server-03", …: the kind's label and the host's number within its kind
 * @param kind  what part of an agent's behaviour it sees
 * @param index its place in {@link SyntheticFleet#observerHosts()}
 */
public record ObserverHost(String id, GatewayKind kind, int index) {
    public ObserverHost {
        if (id == null || kind == null || index < 0) {
            throw new IllegalArgumentException("an observer host needs an id, a kind and an index >= 0");
        }
    }
}
