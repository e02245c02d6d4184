/**
 * Key-value stores for one node's state: Chronicle Map files in a data directory (or an
 * in-memory stand-in for the simulator), each value checksummed, the directory versioned by a
 * manifest, and a clean-stop marker that tells a restart whether it must recover. Knows bytes
 * and keys, not what they mean.
 */
package dev.vigil.storage;
