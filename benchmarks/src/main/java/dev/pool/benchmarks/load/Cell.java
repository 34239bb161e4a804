package dev.pool.benchmarks.load;

/**
 * One measurement: a workload run by {@code clients} threads on one pool, or, with no pool, the
 * ceiling: as many threads as the pool has connections, each owning one.
 */
record Cell(Workload workload, LoadPool pool, int clients, boolean virtualThreads) {

    static Cell ceiling(Workload workload, int connections) {
        return new Cell(workload, null, connections, false);
    }

    boolean isCeiling() {
        return pool == null;
    }

    /** The pool's name in the results, or {@code dedicated} for the ceiling. */
    String poolName() {
        return isCeiling() ? "dedicated" : pool.displayName();
    }

    /** The client count, marked when the clients are virtual threads: {@code 1000 virtual}. */
    String clientsLabel() {
        return clients + (virtualThreads ? " virtual" : "");
    }

    /**
     * The {@code application_name} of this cell's connections, unique in the run, so backends a
     * previous cell's pool is still closing are never counted here.
     */
    String applicationName() {
        return "pool-load-" + (isCeiling() ? "dedicated" : pool.optionName()) + "-" + workload.optionName()
                + "-" + clients + (virtualThreads ? "v" : "");
    }

    @Override
    public String toString() {
        return workload.optionName() + ", " + poolName() + ", " + clientsLabel() + " clients";
    }
}
