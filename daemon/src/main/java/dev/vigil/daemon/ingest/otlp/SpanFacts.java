package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.AgentIds;

/**
 * What one span contributes to its agent's window: the attributes the feature schema is computed
 * from, already looked up and validated. Absent text attributes are null, absent counts 0.
 *
 * @param agent        agent key (1 to {@value SpanExtractor#AGENT_LENGTH_MAX} printable ASCII characters)
 * @param role         declared role (1 to {@value SpanExtractor#ROLE_LENGTH_MAX} printable ASCII characters), or null
 * @param startNanos   span start, epoch nanoseconds, {@code 0 < startNanos <= endNanos}
 * @param endNanos     span end, epoch nanoseconds; decides the window
 * @param operation    {@code gen_ai.operation.name}; non-null makes the span a GenAI operation
 * @param tool         {@code gen_ai.tool.name}
 * @param inputTokens  {@code gen_ai.usage.input_tokens}, counted on operations only
 * @param outputTokens {@code gen_ai.usage.output_tokens}, counted on operations only
 * @param error        {@code error.type} present or span status ERROR
 * @param host         {@code server.address}
 * @param bytesOut     {@code http.request.body.size}, else {@code gen_ai.request.size}
 * @param model        {@code gen_ai.request.model}
 */
public record SpanFacts(String agent, String role, long startNanos, long endNanos, String operation, String tool,
                        long inputTokens, long outputTokens, boolean error, String host, long bytesOut, String model) {
    /** The GenAI operation name that marks a tool invocation. */
    public static final String OPERATION_EXECUTE_TOOL = "execute_tool";

    public SpanFacts {
        if (agent == null || !AgentIds.isValidId(agent)) {
            throw new IllegalArgumentException("agent key must be 1 to " + SpanExtractor.AGENT_LENGTH_MAX + " printable ASCII characters");
        }
        if (role != null && !AgentIds.isValidRole(role)) {
            throw new IllegalArgumentException("role must be null or 1 to " + SpanExtractor.ROLE_LENGTH_MAX + " printable ASCII characters");
        }
        if (startNanos <= 0 || endNanos < startNanos) {
            throw new IllegalArgumentException("span times must satisfy 0 < start <= end, got " + startNanos + ".." + endNanos);
        }
        if (inputTokens < 0 || outputTokens < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    public boolean isOperation() {
        return operation != null;
    }

    public boolean isToolCall() {
        return OPERATION_EXECUTE_TOOL.equals(operation) || tool != null;
    }

    public double durationMs() {
        return (endNanos - startNanos) / 1e6;
    }
}
