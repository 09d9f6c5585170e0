package io.gpuplacer.service.capacity;

/**
 * What a node's hour costs in the plan: its price, its energy at its zone's mean price (PUE included), and at the
 * operator's carbon price its energy's CO2e (and a bought node's embodied CO2e spread over its lifetime). A zone
 * without a signal prices its energy at 0 (the plan says so).
 */
final class NodePricing {

    private final Fleet fleet;
    private final double carbonPriceUsdPerTonne;

    NodePricing(Fleet fleet, double carbonPriceUsdPerTonne) {
        this.fleet = fleet;
        this.carbonPriceUsdPerTonne = carbonPriceUsdPerTonne;
    }

    /** A node type's hour per GPU, at a utilisation. */
    double perGpuHour(NodeCatalogue.NodeType t, double utilisation) {
        double[] e = energy(t.zone(), t.baseWatts(), t.gpuBusyWatts(), t.gpuCount(), Math.min(1, utilisation), 1);
        double kg = e[1] + t.embodiedKgPerHour();
        return (t.costPerHour() + e[0] + kg * carbonPriceUsdPerTonne / 1000) / t.gpuCount();
    }

    /** A node of the fleet's idle hour: what retiring it saves. */
    double idleHour(Fleet.Node n) {
        double[] e = energy(n.zone(), n.baseWatts(), 0, n.gpuCount(), 0, 1);
        return n.costPerHour() + e[0] + e[1] * carbonPriceUsdPerTonne / 1000;
    }

    /** USD and kg CO2e of a node's energy over some hours at a utilisation. */
    double[] energy(String zone, double baseWatts, double busyWatts, int gpus, double u, int hours) {
        Fleet.Zone z = fleet.zone(zone);
        double kWh = (baseWatts + busyWatts * gpus * u) * z.pue() / 1000 * hours;
        return new double[] {kWh * nan0(z.usdPerMWh()) / 1000, kWh * nan0(z.gramsPerKWh()) / 1000};
    }

    private static double nan0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
