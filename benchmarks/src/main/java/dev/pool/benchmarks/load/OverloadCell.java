package dev.pool.benchmarks.load;

import java.util.Locale;

/**
 * One overload measurement: a contender offered {@code load} times the capacity of as many
 * dedicated connections as it has. The rate itself is set per round, from that round's capacity.
 */
record OverloadCell(OverloadContender contender, double load) {

    /** The load as the tables show it: {@code 0.83x}, {@code 2x}. */
    String loadLabel() {
        return loadLabel(load);
    }

    static String loadLabel(double load) {
        String text = String.format(Locale.ROOT, "%.2f", load).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "x";
    }

    /**
     * The {@code application_name} of this cell's connections, unique in the run, so backends a
     * previous cell's pool is still closing are never counted here.
     */
    String applicationName(int round) {
        return "pool-overload-" + contender.optionName() + "-" + loadLabel() + "-" + round;
    }

    @Override
    public String toString() {
        return contender.displayName() + " at " + loadLabel();
    }
}
