/**
 * {@code vigil bench}: JMH microbenchmarks of the frame path and end-to-end measurements of
 * real daemons on loopback. Figures come from here, never from timing assertions in tests.
 */
package dev.vigil.simnet.bench;
