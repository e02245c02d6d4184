package dev.vigil.daemon.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.ingest.ObservationBatch;
import dev.vigil.daemon.tree.VivaldiCoordinate;

import java.util.List;

/**
 * How the HTTP API writes JSON, and its small answers. Every answer is a record written by
 * {@link #MAPPER}: keys in snake_case from the component names (a name the strategy would not
 * spell as documented carries {@code @JsonProperty}), in component order, nulls written as null,
 * indented. {@link StatusJson} and {@link TreeJson} are the two large answers.
 */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ApiJson() {
    }

    /** Rounded to thousandths: sub-microsecond digits of a millisecond figure are noise. */
    static double round3(final double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    /** Every failed request: what was wrong, for the operator. */
    record ErrorBody(String error) {
    }

    /** {@code GET /v1/agents}: every agent, ordered by id. */
    record AgentList(List<Detector.AgentSummary> agents) {
    }

    /**
     * {@code POST /v1/observations}: rows accepted, rows refused (all counted, the first
     * {@link ApiServer#REFUSALS_LISTED_MAX} listed by row).
     */
    record Ingested(int accepted, int refusedTotal, List<ObservationBatch.Refusal> refused) {
    }

    /** {@code GET /v1/agents/{id}}: what this host sees of the agent (null if it does not observe it) and the fleet's verdict (null if none stands). */
    record AgentView(@com.fasterxml.jackson.annotation.JsonUnwrapped Detector.AgentDetail local,
                     dev.vigil.daemon.verdict.VerdictBook.Entry fleetVerdict) {
    }

    /** {@code GET /v1/verdicts}: every verdict certificate this node holds, newest first. */
    record VerdictList(List<dev.vigil.daemon.verdict.VerdictBook.Entry> verdicts) {
    }

    /** {@code GET /v1/verdicts/{id}}: the verdict, its certificate (base64) and the check against this node's CA key. */
    record VerdictView(@com.fasterxml.jackson.annotation.JsonUnwrapped dev.vigil.daemon.verdict.VerdictBook.Entry verdict,
                       String verification, String certificateBase64) {
    }

    /** {@code POST /v1/agents/{id}/release}, done. */
    record Released(String released, boolean wasPinned) {
    }

    /** {@code POST /v1/verdicts/{id}/release}, taken: the conviction retracted, the release's own verdict id, the agent. */
    record VerdictReleased(String retracted, String releaseId, String agent) {
    }

    /** A Vivaldi coordinate, in ms to the thousandth. */
    record Coordinate(double xMs, double yMs, double heightMs, double error) {
        static Coordinate of(final VivaldiCoordinate c) {
            return new Coordinate(round3(c.xMs()), round3(c.yMs()), round3(c.heightMs()), round3(c.error()));
        }
    }
}
