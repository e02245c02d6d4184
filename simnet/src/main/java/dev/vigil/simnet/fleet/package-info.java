/**
 * A seeded synthetic workload of AI-agent behaviour with labelled compromises, for the demo,
 * simnet scenarios and tests: {@link dev.vigil.simnet.fleet.SyntheticFleet} turns
 * {@link dev.vigil.simnet.fleet.FleetParams} into one raw (untransformed) feature vector per agent
 * per window in the default schema's order.
 *
 * <p>The model, in short (numbers and formulas on {@code SyntheticFleet}):
 * <ul>
 *   <li>four roles ({@link dev.vigil.simnet.fleet.AgentRole}: coder, support, research, ops) with
 *       their own levels; each agent's levels differ from its role's by log-normal factors
 *       (σ ≈ 0.3);</li>
 *   <li>correlated features: tool calls and bytes scale with ops, distinct tools saturate with
 *       tool calls, bytes follow prompt tokens, latency follows output tokens;</li>
 *   <li>a daily rhythm (activity × 0.5..1.5 on a 24 h cosine, phase and amplitude per role),
 *       log-normal noise per window, and normal, unlabelled bursts (about 3 per agent per day,
 *       2–3× activity for 3–10 windows);</li>
 *   <li>five compromise modes ({@link dev.vigil.simnet.fleet.CompromiseMode}): exfiltration
 *       (bytes × 10–50, hosts + 3–10), runaway loop (ops × 5–20, tokens per op × 3–10, errors
 *       × 2–3), tool misuse (+3–6 tools, error rate 0.3–0.7, tool calls × 2–4), slow drift (a
 *       2–3 h linear ramp of output tokens, hosts, bytes and model switches) and a coordinated
 *       group (≥ 3 agents at one instant: hosts + 2–4, bytes × 3–6, model switches up).</li>
 * </ul>
 * Besides its home view, each agent is seen, partially and noisily, by {@code observersPerAgent}
 * (default 2) gateway hosts ({@link dev.vigil.simnet.fleet.GatewayKind}: LLM gateways, tool
 * servers, egress proxies), each seeing its kind's features of the agent's share of traffic
 * through it with its own noise, and 0 for the rest.
 * Everything comes from the seed; the same parameters give the same sequence, bit for bit, and
 * the gateway tier draws from streams of its own, so the home views do not depend on it.
 */
package dev.vigil.simnet.fleet;
