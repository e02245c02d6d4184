/**
 * Sufficient statistics of feature vectors and the Gaussian model fitted to them: count, mean
 * and packed upper-triangle co-moments with Welford updates and Chan merges, and a Cholesky
 * factor for Mahalanobis distances. The daemon, {@code vigil eval} and simnet all use these.
 * Also the fixed-bucket histogram the daemon's metrics keep on hot paths.
 */
package dev.vigil.daemon.stats;
