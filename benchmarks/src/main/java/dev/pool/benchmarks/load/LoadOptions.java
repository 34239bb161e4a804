package dev.pool.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@link LoadBenchmark} measures, from its command line. Every option has a
 * default, so no option at all runs the full comparison against an embedded PostgreSQL.
 */
record LoadOptions(
        List<LoadPool> pools,
        List<Workload> workloads,
        List<Integer> clients,
        List<Integer> virtualClients,
        Duration warmup,
        Duration duration,
        int rounds,
        int poolSize,
        Duration waitTimeout,
        String url,
        String user,
        String password,
        Path json) {

    static final String USAGE = """
            Usage: java -cp benchmarks.jar dev.pool.benchmarks.load.LoadBenchmark [options]

            Runs client threads looping borrow / work / return on each pool against PostgreSQL, for a
            bounded time per cell, and prints a markdown table (and writes JSON) of transactions/s,
            acquire latency, errors and the most server backends seen.

              --pools LIST          pools to compare, of pool,hikari,agroal,dbcp2    (default: all four)
              --workloads LIST      select1: borrow, select 1, return; mixed: the same, but 1 borrow
                                    in 5 runs a short read-write transaction             (default: both)
              --clients LIST|none   client counts on platform threads           (default: 8,64,512,1000)
              --virtual LIST|none   client counts on virtual threads, JDK 21+     (default: 1000 on 21+)
              --warmup TIME         unmeasured time at the start of each cell              (default: 2s)
              --duration TIME       measured time per cell                                (default: 10s)
              --rounds N            run every cell N times, the pools in a new order each round,
                                    and report each cell's median round                     (default: 1)
              --pool-size N         max size and min idle of every pool, and the number of
                                    dedicated connections of the ceiling                   (default: 10)
              --wait-timeout TIME   longest a borrower waits for a connection              (default: 5s)
              --url JDBC_URL        an external PostgreSQL instead of the embedded one
              --user NAME           its user                                         (default: postgres)
              --password SECRET     its password                                         (default: none)
              --json FILE           where to write the results              (default: load-results.json)
              -h, --help            this text

            TIME is 500ms, 10s or 1m; LISTs are comma-separated.
            """;

    /** The defaults, then the arguments in order; an unknown option or bad value throws. */
    static LoadOptions parse(String... args) {
        List<LoadPool> pools = List.of(LoadPool.values());
        List<Workload> workloads = List.of(Workload.values());
        List<Integer> clients = List.of(8, 64, 512, 1000);
        List<Integer> virtualClients = ClientThreads.virtualThreadsAvailable() ? List.of(1000) : List.of();
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        int rounds = 1;
        int poolSize = 10;
        Duration waitTimeout = Duration.ofSeconds(5);
        String url = null;
        String user = "postgres";
        String password = null;
        Path json = Path.of("load-results.json");

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                throw new HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("-") ? option + " needs a value" : "Unknown argument " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--pools" -> pools = list(value).stream().map(LoadPool::named).distinct().toList();
                case "--workloads" -> workloads = list(value).stream().map(Workload::named).distinct().toList();
                case "--clients" -> clients = value.equals("none") ? List.of() : counts(option, value);
                case "--virtual" -> virtualClients = value.equals("none") ? List.of() : counts(option, value);
                case "--warmup" -> warmup = time(option, value);
                case "--duration" -> duration = time(option, value);
                case "--rounds" -> rounds = counts(option, value).get(0);
                case "--pool-size" -> poolSize = counts(option, value).get(0);
                case "--wait-timeout" -> waitTimeout = time(option, value);
                case "--url" -> url = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be more than 0");
        }
        return new LoadOptions(pools, workloads, clients, virtualClients, warmup, duration, rounds, poolSize,
                waitTimeout, url, user, password, json);
    }

    /** Whether to start an embedded server rather than use {@link #url()}. */
    boolean embedded() {
        return url == null;
    }

    /** The client counts to run on virtual threads: none on a JDK without them (before 21). */
    List<Integer> runnableVirtualClients() {
        return ClientThreads.virtualThreadsAvailable() ? virtualClients : List.of();
    }

    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Empty list: '" + value + "'");
        }
        return items;
    }

    private static List<Integer> counts(String option, String value) {
        try {
            List<Integer> counts = list(value).stream().map(Integer::valueOf).distinct().toList();
            if (counts.stream().anyMatch(count -> count < 1)) {
                throw new IllegalArgumentException(option + " takes counts of 1 or more, not '" + value + "'");
            }
            return counts;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes whole numbers, not '" + value + "'");
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 1m}, or a plain number of seconds. */
    static Duration time(String option, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration time;
            if (text.endsWith("ms")) {
                time = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                time = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            } else if (text.endsWith("m")) {
                time = Duration.ofSeconds(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60));
            } else {
                time = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            }
            if (time.isNegative()) {
                throw new IllegalArgumentException(option + " must not be negative: '" + value + "'");
            }
            return time;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a time like 500ms, 10s or 1m, not '" + value + "'");
        }
    }

    /** The options as given, for the log; the password is never shown. */
    @Override
    public String toString() {
        return "pools " + pools.stream().map(LoadPool::optionName).toList()
                + ", workloads " + workloads.stream().map(Workload::optionName).toList()
                + ", clients " + clients + ", virtual " + runnableVirtualClients()
                + ", warm-up " + MarkdownReport.seconds(warmup.toNanos())
                + ", duration " + MarkdownReport.seconds(duration.toNanos()) + ", rounds " + rounds
                + ", pool size " + poolSize + ", wait timeout " + MarkdownReport.seconds(waitTimeout.toNanos())
                + ", database " + (embedded() ? "embedded" : Database.masked(url));
    }

    /** {@code -h} or {@code --help}: print {@link #USAGE} and stop. */
    static final class HelpRequested extends RuntimeException {

        HelpRequested() {
            super("help requested", null, false, false);
        }
    }
}
