package dev.vigil.daemon.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.AgentIds;
import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.detect.FeatureSchema;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated {@code POST /v1/observations} body:
 * {@code [{"agent": "a1", "ts": 1767225600.5 | "2026-01-01T00:00:00.5Z", "role": "coder",
 * "features": {"ops_per_min": 12, ...}}, ...]}. Every row is checked on its own; a bad row is
 * refused with its index, the field and the problem, and never takes the good rows down with it.
 */
public final class ObservationBatch {
    /** Bound on rows per request; a larger batch is refused whole (413). */
    public static final int ROWS_MAX = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A valid row. */
    public record Row(int index, String agent, String role, long tsMicros, double[] raw) {
    }

    /** A refused row: which, which field, why. */
    public record Refusal(int row, String field, String error) {
    }

    /** The whole body could not be taken; {@code status} is the HTTP status to answer. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        public final int status;

        Rejected(final int status, final String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final List<Row> rows;
    private final List<Refusal> refusals;

    private ObservationBatch(final List<Row> rows, final List<Refusal> refusals) {
        this.rows = rows;
        this.refusals = refusals;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /**
     * @param nowMicros            the receiver's clock, to refuse timestamps too far in the future
     * @param futureSkewMicrosMax  how far ahead a timestamp may be
     */
    public static ObservationBatch parse(final byte[] body, final FeatureSchema schema, final long nowMicros,
                                         final long futureSkewMicrosMax) throws Rejected {
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new Rejected(400, "body is not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (final IOException e) {
            throw new Rejected(400, "body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new Rejected(400, "body must be a JSON array of observations: [{\"agent\", \"ts\", \"features\": {...}, \"role\"?}]");
        }
        final ArrayNode array = (ArrayNode)root;
        if (array.size() > ROWS_MAX) {
            throw new Rejected(413, "batch has " + array.size() + " rows; at most " + ROWS_MAX + " per request");
        }
        final List<Row> rows = new ArrayList<>(array.size());
        final List<Refusal> refusals = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            final Object result = row(i, array.get(i), schema, nowMicros, futureSkewMicrosMax);
            if (result instanceof Row r) {
                rows.add(r);
            } else {
                refusals.add((Refusal)result);
            }
        }
        return new ObservationBatch(rows, refusals);
    }

    private static Object row(final int i, final JsonNode node, final FeatureSchema schema, final long nowMicros,
                              final long futureSkewMicrosMax) {
        if (!node.isObject()) {
            return new Refusal(i, null, "row must be an object");
        }
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!name.equals("agent") && !name.equals("ts") && !name.equals("features") && !name.equals("role")) {
                return new Refusal(i, name, "unknown field; expected agent, ts, features, role");
            }
        }
        final JsonNode agent = node.get("agent");
        if (agent == null || !agent.isTextual()) {
            return new Refusal(i, "agent", "required string");
        }
        final String agentId = agent.asText();
        if (!AgentIds.isValidId(agentId)) {
            return new Refusal(i, "agent", "must be 1 to " + AgentIds.ID_LENGTH_MAX + " printable ASCII characters");
        }
        String role = null;
        final JsonNode roleNode = node.get("role");
        if (roleNode != null && !roleNode.isNull()) {
            if (!roleNode.isTextual() || !AgentIds.isValidRole(roleNode.asText())) {
                return new Refusal(i, "role", "must be 1 to " + AgentIds.ROLE_LENGTH_MAX + " printable ASCII characters");
            }
            role = roleNode.asText();
        }
        final JsonNode ts = node.get("ts");
        final long tsMicros;
        if (ts == null) {
            return new Refusal(i, "ts", "required: epoch seconds or an RFC 3339 time");
        } else if (ts.isNumber()) {
            final double seconds = ts.asDouble();
            if (!Double.isFinite(seconds) || seconds < 0 || seconds > 1e11) {
                return new Refusal(i, "ts", "epoch seconds out of range: " + ts.asText());
            }
            tsMicros = Math.round(seconds * 1e6);
        } else if (ts.isTextual()) {
            final Instant t;
            try {
                t = Instant.parse(ts.asText());
            } catch (final DateTimeParseException e) {
                return new Refusal(i, "ts", "not an RFC 3339 time: '" + ts.asText() + "'");
            }
            if (t.getEpochSecond() < 0 || t.getEpochSecond() > 1e11) {
                return new Refusal(i, "ts", "time out of range: " + ts.asText());
            }
            tsMicros = WallClock.micros(t);
        } else {
            return new Refusal(i, "ts", "must be epoch seconds or an RFC 3339 time");
        }
        if (tsMicros > nowMicros + futureSkewMicrosMax) {
            return new Refusal(i, "ts", "is " + (tsMicros - nowMicros) / 1_000_000 + " s in the future; at most "
                + futureSkewMicrosMax / 1_000_000 + " s allowed");
        }
        final JsonNode features = node.get("features");
        if (features == null || !features.isObject()) {
            return new Refusal(i, "features", "required object of feature name to number");
        }
        final double[] raw = new double[schema.size()];
        final boolean[] seen = new boolean[schema.size()];
        final Iterator<Map.Entry<String, JsonNode>> fields = features.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> f = fields.next();
            final int index = schema.indexOf(f.getKey());
            if (index < 0) {
                return new Refusal(i, "features." + f.getKey(), "unknown feature; this fleet's schema has: " + names(schema));
            }
            final JsonNode v = f.getValue();
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                return new Refusal(i, "features." + f.getKey(), "must be a finite number");
            }
            final Feature feature = schema.feature(index);
            if (!(v.asDouble() >= feature.min() && v.asDouble() <= feature.max())) {
                return new Refusal(i, "features." + f.getKey(), "must be in [" + feature.min() + ", " + feature.max() + "]"
                    + (feature.unit().isEmpty() ? "" : " (" + feature.unit() + ")") + ", got " + v.asText());
            }
            raw[index] = v.asDouble();
            seen[index] = true;
        }
        for (int k = 0; k < seen.length; k++) {
            if (!seen[k]) {
                return new Refusal(i, "features." + schema.feature(k).name(), "missing");
            }
        }
        return new Row(i, agentId, role, tsMicros, raw);
    }


    private static String names(final FeatureSchema schema) {
        final StringBuilder b = new StringBuilder();
        for (final Feature f : schema.features()) {
            b.append(b.length() == 0 ? "" : ", ").append(f.name());
        }
        return b.toString();
    }
}
