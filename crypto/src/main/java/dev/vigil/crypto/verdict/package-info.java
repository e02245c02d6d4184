/**
 * Verdicts and their certificates: what an evidence committee (or the operator) states about an
 * agent, in one canonical byte form, with enough signatures and node certificates that anyone
 * holding the cluster CA public key can check it offline. The daemon's consensus makes them; this
 * package only encodes, decodes, signs and verifies.
 */
package dev.vigil.crypto.verdict;
