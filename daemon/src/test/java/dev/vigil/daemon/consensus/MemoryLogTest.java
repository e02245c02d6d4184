package dev.vigil.daemon.consensus;

/** The reference heap log meets the contract every consensus log meets. */
class MemoryLogTest extends ConsensusLogContract {
    @Override
    ConsensusLog open() {
        return new MemoryLog(LogSamples.LIMITS);
    }

    @Override
    ConsensusLog reopen(final ConsensusLog log) {
        return log;
    }
}
