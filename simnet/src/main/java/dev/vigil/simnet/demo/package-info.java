/**
 * {@code vigil demo} and what it shares with benchmarks and tests: driving a synthetic agent
 * fleet into detection (over the real HTTP ingest, or in process), and scoring what was flagged
 * against the fleet's labels.
 */
package dev.vigil.simnet.demo;
