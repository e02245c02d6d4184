package dev.vigil.simnet;

import java.util.List;

/**
 * Regions on a globe and the one-way latency between two points: a base for the local hop plus
 * great-circle distance at the speed of light in fibre (about 200 km per ms) times a route
 * factor, since real paths are not great circles.
 */
public final class WorldMap {
    /** A region: a name and the centre of its hosts. */
    public record Region(String name, double latitudeDeg, double longitudeDeg) {
    }

    private static final double EARTH_RADIUS_KM = 6371.0;
    private static final double FIBRE_MICROS_PER_KM = 5.0;

    private final List<Region> regions;
    private final long baseMicros;
    private final double routeFactor;

    public WorldMap(final List<Region> regions, final long baseMicros, final double routeFactor) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a map needs at least one region");
        }
        this.regions = List.copyOf(regions);
        this.baseMicros = baseMicros;
        this.routeFactor = routeFactor;
    }

    /** Eight cloud-like regions across four continents; local hop 250 µs, route factor 1.5. */
    public static WorldMap defaultMap() {
        return new WorldMap(List.of(
            new Region("us-east", 39.0, -77.5),
            new Region("us-west", 45.6, -121.2),
            new Region("sa-east", -23.5, -46.6),
            new Region("eu-west", 53.3, -6.3),
            new Region("eu-central", 50.1, 8.7),
            new Region("ap-south", 19.1, 72.9),
            new Region("ap-southeast", 1.35, 103.8),
            new Region("ap-northeast", 35.7, 139.7)), 250, 1.5);
    }

    public List<Region> regions() {
        return regions;
    }

    /** One-way latency between two points, before jitter. StrictMath keeps seeds portable across JVMs. */
    public long latencyMicros(final double lat1, final double lon1, final double lat2, final double lon2) {
        return baseMicros + Math.round(distanceKm(lat1, lon1, lat2, lon2) * FIBRE_MICROS_PER_KM * routeFactor);
    }

    static double distanceKm(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double p1 = StrictMath.toRadians(lat1);
        final double p2 = StrictMath.toRadians(lat2);
        final double dp = p2 - p1;
        final double dl = StrictMath.toRadians(lon2 - lon1);
        final double a = StrictMath.sin(dp / 2) * StrictMath.sin(dp / 2) + StrictMath.cos(p1) * StrictMath.cos(p2) * StrictMath.sin(dl / 2) * StrictMath.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(Math.min(1.0, StrictMath.sqrt(a)));
    }
}
