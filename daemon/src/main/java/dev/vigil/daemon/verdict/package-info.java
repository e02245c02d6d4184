/**
 * Fleet verdicts: what a node does as an observer (sends its evidence about the agents it sees to
 * each agent's committee), as a committee member (runs a replica of the shard's evidence state and
 * signs what it decides) and as a holder of verdict certificates (assembles, checks, keeps and
 * passes them on). Sans-I/O like the core: driven on the core's thread, acting through a
 * {@link dev.vigil.daemon.verdict.VerdictEnv}, so simnet runs the same code.
 */
package dev.vigil.daemon.verdict;
