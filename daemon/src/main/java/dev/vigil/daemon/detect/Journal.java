package dev.vigil.daemon.detect;

/**
 * Where the detector records what it takes, before the caller acknowledges it: the node's
 * history (raw blocks and the agent's stored state). Single-threaded, like the detector.
 */
public interface Journal {
    /**
     * Why an observation of this agent at this time cannot be stored, or null when it can.
     * Asked before the detector changes anything, so a refusal leaves it untouched.
     */
    String refusal(String agentId, long tsMicros);

    /**
     * Stores an observation the detector has taken, with the agent's state after it.
     *
     * @throws StoreRefusal when it could not be stored after all (a full store)
     */
    void accepted(AgentRecord after, long tsMicros, double[] raw, boolean inBaseline, double d2);

    /**
     * Reads back an agent's stored observations from {@code fromMicros} on, in time order
     * (the detector rebuilds its baseline window from them after a restart).
     */
    void replay(String agentId, long fromMicros, ReplaySink sink);

    /**
     * What is known of an agent this node has never seen, from the replica another node sent of
     * it (its state and own baseline, in transformed units), or null. Asked once, when the agent
     * first reports here.
     */
    default Adopted adopted(final String agentId) {
        return null;
    }

    /** An agent's state and own baseline as its previous node last replicated them. */
    record Adopted(AgentRecord record, dev.vigil.daemon.stats.Moments baseline) {
    }

    /** One stored observation, as given to {@link #accepted}. */
    interface ReplaySink {
        void accept(long tsMicros, double[] raw, boolean inBaseline);
    }

    /** A journal that keeps nothing (tools and tests that need no history). */
    Journal NONE = new Journal() {
        @Override
        public String refusal(final String agentId, final long tsMicros) {
            return null;
        }

        @Override
        public void accepted(final AgentRecord after, final long tsMicros, final double[] raw, final boolean inBaseline, final double d2) {
        }

        @Override
        public void replay(final String agentId, final long fromMicros, final ReplaySink sink) {
        }
    };
}
