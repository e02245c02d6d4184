package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.AgentIds;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduces a decoded request to {@link SpanFacts}: resolves each span's agent key and role, checks
 * its times, and picks out the attributes the feature schema is computed from. Pure and
 * stateless, so it runs on whichever I/O thread decoded the request.
 *
 * <p>Agent key: {@code gen_ai.agent.id} (span, else resource), else {@code gen_ai.agent.name}
 * (span, else resource), else resource {@code service.name} unless it is an SDK's
 * {@code unknown_service:*} placeholder (all unconfigured processes would otherwise merge into one
 * agent). The first present key decides: if it is not 1 to {@value #AGENT_LENGTH_MAX} printable
 * ASCII characters the span is refused rather than attributed to a lower-priority key.
 *
 * <p>Role: {@code gen_ai.agent.role} (span, else resource), else resource {@code vigil.agent.role};
 * a role that is not 1 to {@value #ROLE_LENGTH_MAX} printable ASCII characters is dropped (the span
 * is kept) and counted. These are the JSON observation API's rules for agent and role.
 *
 * <p>Attribute values: text from string values (int values are taken as their decimal text);
 * counts from non-negative int or double values. Other types, empty strings and negative counts
 * are ignored as if absent and counted in {@link Extraction#attributesIgnored()}.
 */
final class SpanExtractor {
    static final int AGENT_LENGTH_MAX = AgentIds.ID_LENGTH_MAX;
    static final int ROLE_LENGTH_MAX = AgentIds.ROLE_LENGTH_MAX;

    static final String GEN_AI_AGENT_ID = "gen_ai.agent.id";
    static final String GEN_AI_AGENT_NAME = "gen_ai.agent.name";
    static final String GEN_AI_AGENT_ROLE = "gen_ai.agent.role";
    static final String VIGIL_AGENT_ROLE = "vigil.agent.role";
    static final String SERVICE_NAME = "service.name";
    static final String UNKNOWN_SERVICE_PREFIX = "unknown_service";
    static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
    static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";
    static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
    static final String GEN_AI_REQUEST_SIZE = "gen_ai.request.size";
    static final String ERROR_TYPE = "error.type";
    static final String SERVER_ADDRESS = "server.address";
    static final String HTTP_REQUEST_BODY_SIZE = "http.request.body.size";

    /** The outcome for one request: the usable spans, and what was refused and why. */
    record Extraction(List<SpanFacts> spans, int received, SpanRefusal.Counts refused, int rolesInvalid, int attributesIgnored) {
    }

    private SpanExtractor() {
    }

    static Extraction extract(final ExportTraceServiceRequest request) {
        final List<SpanFacts> spans = new ArrayList<>();
        final SpanRefusal.Counts refused = new SpanRefusal.Counts();
        final Attributes resource = new Attributes();
        final Attributes span = new Attributes();
        int received = 0;
        int rolesInvalid = 0;
        int ignored = 0;
        for (final ResourceSpans rs : request.getResourceSpansList()) {
            resource.clear();
            resource.scan(rs.getResource().getAttributesList());
            ignored += resource.ignored;
            for (final ScopeSpans ss : rs.getScopeSpansList()) {
                for (final Span s : ss.getSpansList()) {
                    received++;
                    span.clear();
                    span.scan(s.getAttributesList());
                    ignored += span.ignored;
                    final String agent = first(span.agentId, resource.agentId, span.agentName, resource.agentName, resource.serviceName);
                    if (agent == null) {
                        refused.add(SpanRefusal.NO_AGENT_KEY, 1);
                        continue;
                    }
                    if (!AgentIds.isValidId(agent)) {
                        refused.add(SpanRefusal.INVALID_AGENT_KEY, 1);
                        continue;
                    }
                    final long start = s.getStartTimeUnixNano();
                    final long end = s.getEndTimeUnixNano();
                    // fixed64 read as signed: times past 2262 are negative and refused with the rest.
                    if (start <= 0 || end < start) {
                        refused.add(SpanRefusal.INVALID_TIME, 1);
                        continue;
                    }
                    String role = first(span.role, resource.role, resource.vigilRole, null, null);
                    if (role != null && !AgentIds.isValidRole(role)) {
                        rolesInvalid++;
                        role = null;
                    }
                    final boolean error = span.errorType || s.getStatus().getCodeValue() == Status.StatusCode.STATUS_CODE_ERROR_VALUE;
                    final long bytesOut = span.httpRequestBodySize >= 0 ? span.httpRequestBodySize : Math.max(0, span.genAiRequestSize);
                    spans.add(new SpanFacts(agent, role, start, end, span.operation, span.tool,
                        Math.max(0, span.inputTokens), Math.max(0, span.outputTokens), error, span.host, bytesOut, span.model));
                }
            }
        }
        assert spans.size() + refused.total() == received : "every span is either kept or refused";
        return new Extraction(spans, received, refused, rolesInvalid, ignored);
    }

    private static String first(final String a, final String b, final String c, final String d, final String e) {
        return a != null ? a : b != null ? b : c != null ? c : d != null ? d : e;
    }


    /** The attributes of interest of one span or resource; reused, so one scan allocates nothing. */
    private static final class Attributes {
        String agentId;
        String agentName;
        String role;
        String vigilRole;
        String serviceName;
        String operation;
        String tool;
        String host;
        String model;
        long inputTokens;
        long outputTokens;
        long httpRequestBodySize;
        long genAiRequestSize;
        boolean errorType;
        int ignored;

        void clear() {
            agentId = agentName = role = vigilRole = serviceName = operation = tool = host = model = null;
            inputTokens = outputTokens = httpRequestBodySize = genAiRequestSize = -1;
            errorType = false;
            ignored = 0;
        }

        void scan(final List<KeyValue> attributes) {
            for (final KeyValue kv : attributes) {
                final AnyValue v = kv.getValue();
                switch (kv.getKey()) {
                    case GEN_AI_AGENT_ID -> agentId = text(v);
                    case GEN_AI_AGENT_NAME -> agentName = text(v);
                    case GEN_AI_AGENT_ROLE -> role = text(v);
                    case VIGIL_AGENT_ROLE -> vigilRole = text(v);
                    case SERVICE_NAME -> {
                        final String name = text(v);
                        serviceName = name == null || name.startsWith(UNKNOWN_SERVICE_PREFIX) ? null : name;
                    }
                    case GEN_AI_OPERATION_NAME -> operation = text(v);
                    case GEN_AI_TOOL_NAME -> tool = text(v);
                    case SERVER_ADDRESS -> host = text(v);
                    case GEN_AI_REQUEST_MODEL -> model = text(v);
                    case GEN_AI_USAGE_INPUT_TOKENS -> inputTokens = count(v);
                    case GEN_AI_USAGE_OUTPUT_TOKENS -> outputTokens = count(v);
                    case HTTP_REQUEST_BODY_SIZE -> httpRequestBodySize = count(v);
                    case GEN_AI_REQUEST_SIZE -> genAiRequestSize = count(v);
                    // Any value, even an empty one, says the operation failed.
                    case ERROR_TYPE -> errorType = true;
                    default -> {
                        // not a source of any feature
                    }
                }
            }
        }

        private String text(final AnyValue v) {
            switch (v.getValueCase()) {
                case STRING_VALUE -> {
                    final String s = v.getStringValue();
                    if (!s.isEmpty()) {
                        return s;
                    }
                }
                case INT_VALUE -> {
                    return Long.toString(v.getIntValue());
                }
                default -> {
                }
            }
            ignored++;
            return null;
        }

        private long count(final AnyValue v) {
            switch (v.getValueCase()) {
                case INT_VALUE -> {
                    if (v.getIntValue() >= 0) {
                        return v.getIntValue();
                    }
                }
                case DOUBLE_VALUE -> {
                    final double d = v.getDoubleValue();
                    if (d >= 0 && d <= Long.MAX_VALUE) {
                        return (long)d;
                    }
                }
                default -> {
                }
            }
            ignored++;
            return -1;
        }
    }
}
