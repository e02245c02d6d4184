/**
 * simnet: a single-threaded discrete-event simulator that runs many of the daemon's own node
 * cores in one process, on virtual time and one seeded random generator, over a simulated
 * network of regions on a map with loss and partitions. Frames cross it as the real encoded,
 * signed bytes. The same seed gives the same run, byte for byte.
 */
package dev.vigil.simnet;
