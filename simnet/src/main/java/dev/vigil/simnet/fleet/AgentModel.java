package dev.vigil.simnet.fleet;

/**
 * One agent's generating process: its own levels (its role's times per-agent factors), its daily
 * rhythm, its burst state and its compromise. {@link #generate} writes one window's raw feature
 * vector; the only state it carries between windows is the burst in progress and the random
 * stream. Allocation-free.
 */
final class AgentModel {
    /** Spread of an agent's levels around its role's, as σ of the log factor; factors are clipped at ±2.5σ. */
    static final double IDIOSYNCRASY_SIGMA = 0.3;
    private static final double IDIOSYNCRASY_CLIP = 2.5;

    /** Per-window log-normal noise (σ of the log). The activity draw is shared by ops, tool calls and bytes. */
    static final double NOISE_ACTIVITY = 0.25;
    static final double NOISE_TOOL_CALLS_PER_OP = 0.20;
    static final double NOISE_INPUT_TOKENS = 0.30;
    static final double NOISE_OUTPUT_TOKENS = 0.30;
    /** Output tokens follow the window's input tokens with this elasticity: longer prompts, longer answers. */
    static final double OUTPUT_FOLLOWS_INPUT = 0.3;
    static final double NOISE_ERROR_RATE = 0.40;
    static final double NOISE_ERROR_RATE_TARGET = 0.15;
    static final double NOISE_LATENCY = 0.15;
    static final double NOISE_DISTINCT_TOOLS = 0.15;
    static final double NOISE_HOSTS = 0.20;
    static final double NOISE_TOOL_PAYLOAD = 0.30;
    static final double NOISE_BYTES = 0.15;
    /** Prompt bytes sent per input token (UTF-8 text plus JSON framing). */
    static final double BYTES_PER_INPUT_TOKEN = 4;

    /** Normal bursts: expected starts per agent per day, length in windows, activity factor. */
    static final double BURSTS_PER_DAY = 3;
    static final int BURST_WINDOWS_MIN = 3;
    static final int BURST_WINDOWS_MAX = 10;
    static final double BURST_FACTOR_MIN = 2;
    static final double BURST_FACTOR_MAX = 3;

    /** Per-agent rhythm: amplitude × U[0.8, 1.1] capped at 0.5, peak hour ± U[0, 1.5] h. */
    static final double RHYTHM_AMPLITUDE_MAX = 0.5;
    static final double RHYTHM_PEAK_JITTER_HOURS = 1.5;

    private static final double MICROS_PER_HOUR = 3.6e9;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final AgentSpec spec;
    private final Noise noise;
    private final Effect effect;

    private final double opsPerMin;
    private final double toolCallsPerOp;
    private final int toolRepertoire;
    private final double inputTokensPerOp;
    private final double outputTokensPerOp;
    private final double errorRate;
    private final double latencyMsBase;
    private final double latencyMsPerOutputToken;
    private final double hosts;
    private final double toolPayloadBytes;
    private final double modelSwitchesPerOp;
    private final double rhythmAmplitude;
    private final double rhythmPeakHourUtc;
    private final double burstStartChance;

    private int burstWindowsLeft;
    private double burstFactor = 1;
    private boolean burstingNow;
    /** Error rate of the last window's model calls and of its tool calls (each in [0, 1]); no draws of their own. */
    private double modelErrorRate;
    private double toolErrorRate;

    /**
     * @param effect the compromise's effect, or null for a clean agent (then {@code spec.mode()} is null too)
     */
    AgentModel(final AgentSpec spec, final AgentRole role, final Effect effect, final Noise noise, final int windowSeconds) {
        if ((effect == null) != (spec.mode() == null)) {
            throw new IllegalArgumentException("agent " + spec.id() + ": effect and mode must both be set or both be absent");
        }
        this.spec = spec;
        this.noise = noise;
        this.effect = effect;
        this.opsPerMin = role.opsPerMin * idiosyncrasy(IDIOSYNCRASY_SIGMA);
        this.toolCallsPerOp = role.toolCallsPerOp * idiosyncrasy(0.25);
        this.toolRepertoire = Math.max(2, (int) Math.round(role.toolRepertoire + 1.5 * noise.gaussianClipped(IDIOSYNCRASY_CLIP)));
        this.inputTokensPerOp = role.inputTokensPerOp * idiosyncrasy(IDIOSYNCRASY_SIGMA);
        this.outputTokensPerOp = role.outputTokensPerOp * idiosyncrasy(IDIOSYNCRASY_SIGMA);
        this.errorRate = role.errorRate * idiosyncrasy(0.4);
        this.latencyMsBase = role.latencyMsBase * idiosyncrasy(0.2);
        this.latencyMsPerOutputToken = role.latencyMsPerOutputToken * idiosyncrasy(0.2);
        this.hosts = role.hosts * idiosyncrasy(0.25);
        this.toolPayloadBytes = role.toolPayloadBytes * idiosyncrasy(IDIOSYNCRASY_SIGMA);
        this.modelSwitchesPerOp = role.modelSwitchesPerOp * idiosyncrasy(0.4);
        this.rhythmAmplitude = Math.min(RHYTHM_AMPLITUDE_MAX, role.rhythmAmplitude * noise.uniform(0.8, 1.1));
        this.rhythmPeakHourUtc = role.rhythmPeakHourUtc + noise.uniform(-RHYTHM_PEAK_JITTER_HOURS, RHYTHM_PEAK_JITTER_HOURS);
        this.burstStartChance = BURSTS_PER_DAY * windowSeconds / 86_400.0;
    }

    private double idiosyncrasy(final double sigma) {
        return StrictMath.exp(sigma * noise.gaussianClipped(IDIOSYNCRASY_CLIP));
    }

    AgentSpec spec() {
        return spec;
    }

    /**
     * The last window's error rate of model calls alone: the agent's error rate with a runaway
     * loop's factor but without tool misuse's target. What an LLM gateway sees.
     */
    double modelErrorRate() {
        return modelErrorRate;
    }

    /**
     * The last window's error rate of tool calls alone: with tool misuse's target but without a
     * runaway loop's factor. What a tool server sees.
     */
    double toolErrorRate() {
        return toolErrorRate;
    }

    /** Whether the window last generated was part of a normal (unlabelled) burst. */
    boolean burstingNow() {
        return burstingNow;
    }

    /**
     * Writes the raw features of the window [{@code windowStartMicros}, + {@code windowMicros}) into
     * {@code raw} (schema order) and says whether the agent is compromised in it.
     */
    boolean generate(final long windowStartMicros, final long windowMicros, final double[] raw) {
        advanceBurst();
        final double activity = rhythm(windowStartMicros + windowMicros / 2) * (burstingNow ? burstFactor : 1);

        final boolean compromisedNow = spec.compromisedAt(windowStartMicros);
        double opsF = 1;
        double toolCallsPerOpF = 1;
        double tokensF = 1;
        double outputF = 1;
        double errorF = 1;
        double errorTarget = -1;
        double errorTargetWeight = 0;
        double bytesF = 1;
        double hostsAdded = 0;
        double toolsAdded = 0;
        double switchesAdded = 0;
        if (compromisedNow) {
            final double s = effect.strength(windowStartMicros + windowMicros - spec.compromiseStartMicros());
            opsF = Effect.scaled(effect.opsFactor(), s);
            toolCallsPerOpF = Effect.scaled(effect.toolCallsPerOpFactor(), s);
            tokensF = Effect.scaled(effect.tokensFactor(), s);
            outputF = Effect.scaled(effect.outputTokensFactor(), s);
            errorF = Effect.scaled(effect.errorFactor(), s);
            if (effect.errorRateTarget() >= 0) {
                errorTarget = effect.errorRateTarget();
                errorTargetWeight = s;
            }
            bytesF = Effect.scaled(effect.bytesFactor(), s);
            hostsAdded = s * effect.hostsAdded();
            toolsAdded = s * effect.toolsAdded();
            switchesAdded = s * effect.switchesAdded();
        }

        final double windowMinutes = windowMicros / 60e6;
        final double ops = opsPerMin * activity * opsF * noise.logNormal(NOISE_ACTIVITY);
        final double toolCalls = ops * toolCallsPerOp * toolCallsPerOpF * noise.logNormal(NOISE_TOOL_CALLS_PER_OP);
        final double inputLogNoise = NOISE_INPUT_TOKENS * noise.gaussian();
        final double inputTokens = inputTokensPerOp * tokensF * StrictMath.exp(inputLogNoise);
        final double outputTokens = outputTokensPerOp * tokensF * outputF
            * StrictMath.exp(OUTPUT_FOLLOWS_INPUT * inputLogNoise + NOISE_OUTPUT_TOKENS * noise.gaussian());
        final double errorNoise = noise.logNormal(NOISE_ERROR_RATE);
        double error = errorRate * errorF * errorNoise;
        // the split observers need (see SyntheticFleet, Observers): a runaway loop's errors come from
        // the model API, tool misuse's from the tools; a clean agent fails as often at both
        modelErrorRate = Math.min(1.0, error);
        toolErrorRate = errorRate * errorNoise;
        if (errorTarget >= 0) {
            final double targetTerm = errorTargetWeight * errorTarget * noise.logNormal(NOISE_ERROR_RATE_TARGET);
            error = (1 - errorTargetWeight) * error + targetTerm;
            toolErrorRate = (1 - errorTargetWeight) * toolErrorRate + targetTerm;
        }
        toolErrorRate = Math.min(1.0, toolErrorRate);
        final double latencyMs = (latencyMsBase + latencyMsPerOutputToken * outputTokens) * noise.logNormal(NOISE_LATENCY);

        final double opsInWindow = ops * windowMinutes;
        final double callsInWindow = toolCalls * windowMinutes;
        // distinct tools saturate towards the repertoire: expected distinct values among callsInWindow draws
        final double toolsSeen = toolRepertoire * (1 - StrictMath.exp(-callsInWindow / toolRepertoire));
        final double distinctTools = Math.round(toolsSeen * noise.logNormal(NOISE_DISTINCT_TOOLS) + toolsAdded);
        final double distinctHosts = Math.max(1,
            Math.round(hosts * Math.sqrt(activity) * noise.logNormal(NOISE_HOSTS) + hostsAdded));
        final double bytesOut = (opsInWindow * BYTES_PER_INPUT_TOKEN * inputTokens
            + callsInWindow * toolPayloadBytes * noise.logNormal(NOISE_TOOL_PAYLOAD)) * noise.logNormal(NOISE_BYTES) * bytesF;
        final double modelSwitches = noise.poisson(opsInWindow * modelSwitchesPerOp + switchesAdded);

        raw[SyntheticFleet.OPS_PER_MIN] = ops;
        raw[SyntheticFleet.TOOL_CALLS_PER_MIN] = toolCalls;
        raw[SyntheticFleet.DISTINCT_TOOLS] = distinctTools;
        raw[SyntheticFleet.INPUT_TOKENS_PER_OP] = inputTokens;
        raw[SyntheticFleet.OUTPUT_TOKENS_PER_OP] = outputTokens;
        raw[SyntheticFleet.ERROR_RATE] = Math.min(1.0, error);
        raw[SyntheticFleet.LATENCY_MS_MEAN] = latencyMs;
        raw[SyntheticFleet.DISTINCT_HOSTS] = distinctHosts;
        raw[SyntheticFleet.BYTES_OUT] = bytesOut;
        raw[SyntheticFleet.MODEL_SWITCHES] = modelSwitches;
        checkRaw(raw, windowStartMicros);
        return compromisedNow;
    }

    private void advanceBurst() {
        if (burstWindowsLeft == 0 && noise.chance(burstStartChance)) {
            burstWindowsLeft = noise.uniformInt(BURST_WINDOWS_MIN, BURST_WINDOWS_MAX);
            burstFactor = noise.uniform(BURST_FACTOR_MIN, BURST_FACTOR_MAX);
        }
        burstingNow = burstWindowsLeft > 0;
        if (burstingNow) {
            burstWindowsLeft--;
        }
    }

    /** Daily activity multiplier in [1 − amplitude, 1 + amplitude], peaking at the agent's peak hour (UTC). */
    private double rhythm(final long atMicros) {
        final double hourOfDay = Math.floorMod(atMicros, MICROS_PER_DAY) / MICROS_PER_HOUR;
        return 1 + rhythmAmplitude * StrictMath.cos(2 * Math.PI * (hourOfDay - rhythmPeakHourUtc) / 24);
    }

    /** The generator's postcondition; a failure here is a bug in the model, replayable from the fleet's seed. */
    private void checkRaw(final double[] raw, final long windowStartMicros) {
        for (int i = 0; i < SyntheticFleet.FEATURES; i++) {
            if (!(raw[i] >= 0 && raw[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalStateException("agent " + spec.id() + " window at " + windowStartMicros
                    + ": feature " + i + " = " + raw[i] + " is not finite and non-negative");
            }
        }
    }
}
