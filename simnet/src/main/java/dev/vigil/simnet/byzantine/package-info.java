/**
 * The {@code byzantine} scenario: a committee ordering signed evidence from observers, some lying,
 * under faulty members and a faulty network; verdicts held to what honest evidence alone supports.
 */
package dev.vigil.simnet.byzantine;
