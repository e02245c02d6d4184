/**
 * Fleet verdicts at fleet scale in virtual time: many nodes' {@link dev.vigil.daemon.verdict.FleetVerdicts}
 * (the daemon's code) over a simulated network, fed by the synthetic fleet through the daemon's
 * detector, with lying hosts; scored against the labels and against a centralised detector.
 */
package dev.vigil.simnet.verdicts;
