package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;

import java.util.TreeMap;

/**
 * The baselines an agent is scored against when its own is too thin, and the order they are
 * tried in ({@link #choose}): this host's agents of its role ("cohort:ROLE"), the fleet tree's
 * merge of this node's level-0 cluster ("cluster"), this host's agents ("host"), the tree's root
 * merge ("fleet"). The local cohorts are fitted from the observations that entered baselines
 * here; the tree's two are handed down ({@link #setTreeBaselines}). Single-threaded, like the
 * {@link Detector} that owns it.
 */
final class Baselines {
    /** The cohort key of every agent on this host, whatever its role. */
    private static final String ALL = "";

    private final DetectionConfig config;
    private final int d;
    private final TreeMap<String, Cohort> cohorts = new TreeMap<>();
    /** The fleet tree's merge of this node's level-0 cluster, or null. */
    private TreeBaseline treeCohort;
    /** The fleet tree's root merge, or null. */
    private TreeBaseline treeFleet;
    private long treeBaselinesRefused;

    Baselines(final DetectionConfig config, final int dimension) {
        this.config = config;
        this.d = dimension;
        cohorts.put(ALL, new Cohort());
    }

    /** The baseline model: the statistics with the variance floor on the diagonal, ridged only if singular. */
    static Gaussian fitFloored(final Moments m, final double varianceFloor) {
        final Moments floored = m.copy();
        floored.inflateVariance(varianceFloor);
        return Gaussian.fit(floored, Gaussian.Ridge.WHEN_SINGULAR);
    }

    /**
     * A window whose newest {@code lag} + one coarse bucket are kept one by one and whose older
     * buckets are rolled up into roughly hourly ones.
     */
    static BucketWindow newWindow(final DetectionConfig config, final int dimension, final int lag) {
        final int rollup = Math.max(1, 3600 / config.bucketSeconds());
        return new BucketWindow(dimension, config.baselineBuckets(), config.bucketSeconds() * 1_000_000L,
            Math.min(config.baselineBuckets(), lag + rollup), rollup);
    }

    /** The cohort of this host's agents of {@code role}, created on first use; null for no role. */
    Cohort role(final String role) {
        return role == null ? null : cohorts.computeIfAbsent(role, r -> new Cohort());
    }

    /** The cohort of every agent on this host. */
    Cohort host() {
        return cohorts.get(ALL);
    }

    /** What an observation is scored against: the model, the statistics it was fitted to, and its label. */
    record Choice(Gaussian model, Moments reference, String label) {
    }

    /**
     * Which baseline for agent {@code a}: its own when warm, else from the narrowest to the broadest
     * group of agents; null when none has enough observations yet.
     *
     * <p>The local role cohort goes before the tree's cluster: the cluster's merge has no roles
     * (every agent of the cluster's hosts), so its covariance carries the spread between roles
     * and a deviation that is large for the role can look ordinary against the mix; the role
     * cohort is also fitted from this host's own current buckets, while the tree's merge is up
     * to a publish interval older and has passed through heads. The cluster goes before this host's
     * agents, the same kind of role-less mix, because it covers them and its neighbours' too,
     * so a host with few agents does not make the norm; the fleet comes last, farthest from
     * anything local, for a node whose cluster has nothing yet.
     */
    Choice choose(final AgentState a, final Cohort roleCohort, final Cohort all) {
        if (a.model != null && a.referenceCount >= config.coldObservations()) {
            return new Choice(a.model, a.reference, "own");
        } else if (roleCohort != null && roleCohort.model() != null) {
            return new Choice(roleCohort.model, roleCohort.fitted, "cohort:" + a.role);
        } else if (treeCohort != null && treeCohort.model() != null) {
            return new Choice(treeCohort.model, treeCohort.moments, "cluster");
        } else if (all.model() != null) {
            return new Choice(all.model, all.fitted, "host");
        } else if (treeFleet != null && treeFleet.model() != null) {
            return new Choice(treeFleet.model, treeFleet.moments, "fleet");
        }
        return null;
    }

    /**
     * Replaces the tree's two baselines (see {@link Detector#setTreeBaselines}): each is copied, or
     * refused and counted when it has another dimension or fewer than {@code coldObservations}
     * observations, leaving none held in its place.
     */
    void setTreeBaselines(final Moments cohort, final Moments fleet) {
        treeCohort = treeBaseline(cohort);
        treeFleet = treeBaseline(fleet);
    }

    private TreeBaseline treeBaseline(final Moments m) {
        if (m == null) {
            return null;
        }
        if (m.dimension() != d || m.count() < config.coldObservations()) {
            treeBaselinesRefused++;
            return null;
        }
        return new TreeBaseline(m.copy());
    }

    long treeBaselinesRefused() {
        return treeBaselinesRefused;
    }

    /** The fleet's Gaussian, or null when no fleet baseline is held or it cannot be fitted. */
    Gaussian fleetModel() {
        return treeFleet == null ? null : treeFleet.model();
    }

    /** The fleet's statistics; only while {@link #fleetModel} is not null. */
    Moments fleetMoments() {
        return treeFleet.moments;
    }

    /**
     * The merge, in time order, of every observation in this host's window that entered a
     * baseline. A new object every call.
     */
    Moments windowStatistics() {
        return host().window.mergeOlderThan(0, new Moments(d));
    }

    /** Everyone with one role (or everyone): a baseline for agents too young to have their own. */
    final class Cohort {
        final BucketWindow window = newWindow(config, d, 0);
        final Moments fitted = new Moments(d);
        long added;
        long addedAtFit;
        boolean bucketMoved;
        Gaussian model;

        void advanceTo(final long tsMicros) {
            if (window.accepts(tsMicros)) {
                bucketMoved |= window.advanceTo(tsMicros);
            }
        }

        void add(final long tsMicros, final double[] x) {
            if (window.accepts(tsMicros)) {
                window.add(tsMicros, x);
                added++;
            }
        }

        /** What the cohort's window holds now, in a new object; fits nothing (a read for the API changes no later score). */
        Moments current() {
            return window.mergeOlderThan(0, new Moments(d));
        }

        /** Refitted when a bucket moved or the cohort has grown by a quarter since the last fit. */
        Gaussian model() {
            if (model == null || bucketMoved || added >= addedAtFit + Math.max(1, addedAtFit / 4)) {
                window.mergeOlderThan(0, fitted);
                addedAtFit = added;
                bucketMoved = false;
                if (fitted.count() >= config.coldObservations()) {
                    model = fitFloored(fitted, config.varianceFloor());
                } else {
                    model = null;
                }
            }
            return model;
        }
    }

    /** A baseline handed down by the fleet tree: a private copy, fitted on first use. */
    private final class TreeBaseline {
        final Moments moments;
        boolean fitted;
        Gaussian model;

        TreeBaseline(final Moments moments) {
            this.moments = moments;
        }

        /** @return null when the statistics cannot be fitted (no spread even with the floor). */
        Gaussian model() {
            if (!fitted) {
                model = fitFloored(moments, config.varianceFloor());
                fitted = true;
            }
            return model;
        }
    }
}
