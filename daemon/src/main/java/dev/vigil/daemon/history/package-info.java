/**
 * An agent's history on disk: raw observation blocks keyed (agent, minute), rollups keyed
 * (agent, bucket) per tier (minute, hour, day), the agent's stored detection state, retention
 * with pinning, series queries that pick the finest tier covering a range, and the restore of
 * detection state after a restart. Runs on the node's core thread.
 */
package dev.vigil.daemon.history;
