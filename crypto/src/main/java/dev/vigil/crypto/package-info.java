/**
 * Identity and trust: Ed25519 node keys (Bouncy Castle's lightweight API, about 17 times faster
 * than the JDK provider), node ids derived from public keys, the cluster CA and the node
 * certificates it issues, and the key files an operator handles. A simulated, not secure
 * signature scheme ({@link dev.vigil.crypto.SignatureScheme#SIMULATED_INSECURE}) exists for the
 * simulator alone; key files and Ed25519 CAs refuse it.
 */
package dev.vigil.crypto;
