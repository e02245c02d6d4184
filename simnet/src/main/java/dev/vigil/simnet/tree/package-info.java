/**
 * The fleet-tree scenarios on simnet ({@code tree}, {@code propagation}, {@code churn}, {@code lying-head}):
 * every node runs the real node core; {@link dev.vigil.simnet.tree.TreeScenario} runs the phases in order and
 * assembles the report, and the checker holds the nodes' own tree state to the tree's invariants.
 */
package dev.vigil.simnet.tree;
