/**
 * Offline evaluation of the detector on labelled data ({@code vigil eval}): a strict reader for
 * labelled numeric CSV and row-order files, batch and streaming scoring with the daemon's own
 * {@link dev.vigil.daemon.stats.Moments} and {@link dev.vigil.daemon.stats.Gaussian}, and the
 * ranking metrics ROC-AUC and average precision, defined as scikit-learn defines them.
 */
package dev.vigil.daemon.eval;
