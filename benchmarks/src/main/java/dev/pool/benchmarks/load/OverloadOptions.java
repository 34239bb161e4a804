package dev.pool.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@link OverloadBenchmark} measures, from its command line. Every option has a
 * default, so no option at all runs the comparison of issue 14 against an embedded PostgreSQL.
 */
record OverloadOptions(
        List<OverloadContender> contenders,
        List<Double> loads,
        Duration budget,
        String statement,
        OverloadStatement.Timeout statementTimeout,
        Arrivals.Process arrivals,
        boolean virtualThreads,
        Duration warmup,
        Duration duration,
        int rounds,
        int poolSize,
        long seed,
        String url,
        String user,
        String password,
        Path json) {

    /**
     * HikariCP raises a connection timeout below this to its 30 s default (with a warning in its
     * log), so a smaller budget would not bound HikariCP's wait at all.
     */
    static final Duration HIKARI_TIMEOUT_FLOOR = Duration.ofMillis(250);

    static final String USAGE = """
            Usage: java -cp benchmarks.jar dev.pool.benchmarks.load.OverloadBenchmark [options]

            Offers each pool requests at a fixed rate (open loop, one thread per request), each with a
            budget for getting a connection and running its statement, at multiples of what the same
            number of dedicated connections can serve, and prints a markdown table (and writes JSON) of
            calls served within their budget, served late, failed, the time to failure, and the most
            threads waiting.

              --pools LIST              pools to compare, of pool,hikari,agroal,dbcp2  (default: all four)
              --loads LIST              offered load as multiples of the measured capacity of
                                        --pool-size dedicated connections           (default: 0.83,1.33,2)
              --budget TIME             each request's time for acquire + statement, counted from
                                        its arrival; also every pool's acquire timeout  (default: 300ms)
              --statement SQL           the statement of each request   (default: select pg_sleep(0.005))
              --statement-timeout MODE  none: the statement runs to its end; remaining: a request that
                                        got its connection too late skips it, otherwise the rest of
                                        the budget is its timeout                        (default: none)
              --arrivals PROCESS        poisson (exponential gaps) or uniform         (default: poisson)
              --threads KIND            virtual (JDK 21+) or platform: one thread per request
                                                                  (default: virtual where available)
              --warmup TIME             unmeasured time at the start of each cell          (default: 2s)
              --duration TIME           measured time per cell                            (default: 10s)
              --rounds N                run every cell N times, the pools in a new order each round,
                                        and report each cell's median round                 (default: 1)
              --pool-size N             max size and min idle of every pool, and the number of
                                        dedicated connections whose capacity the loads multiply
                                                                                          (default: 10)
              --seed N                  seed of the arrival times                           (default: 1)
              --url JDBC_URL            an external PostgreSQL instead of the embedded one
              --user NAME               its user                                     (default: postgres)
              --password SECRET         its password                                     (default: none)
              --json FILE               where to write the results      (default: overload-results.json)
              -h, --help                this text

            TIME is 300ms, 10s or 1m; LISTs are comma-separated.
            """;

    /** The defaults, then the arguments in order; an unknown option or bad value throws. */
    static OverloadOptions parse(String... args) {
        List<OverloadContender> contenders = OverloadContender.ALL;
        List<Double> loads = List.of(0.83, 1.33, 2.0);
        Duration budget = Duration.ofMillis(300);
        String statement = "select pg_sleep(0.005)";
        OverloadStatement.Timeout statementTimeout = OverloadStatement.Timeout.NONE;
        Arrivals.Process arrivals = Arrivals.Process.POISSON;
        boolean virtualThreads = ClientThreads.virtualThreadsAvailable();
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        int rounds = 1;
        int poolSize = 10;
        long seed = 1;
        String url = null;
        String user = "postgres";
        String password = null;
        Path json = Path.of("overload-results.json");

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                throw new LoadOptions.HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("-") ? option + " needs a value" : "Unknown argument " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--pools" -> contenders = LoadOptions.list(value).stream().map(OverloadContender::named).distinct().toList();
                case "--loads" -> loads = loads(value);
                case "--budget" -> budget = LoadOptions.time(option, value);
                case "--statement" -> statement = value;
                case "--statement-timeout" -> statementTimeout = OverloadStatement.Timeout.named(value.trim());
                case "--arrivals" -> arrivals = Arrivals.Process.named(value.trim());
                case "--threads" -> virtualThreads = virtualThreads(value);
                case "--warmup" -> warmup = LoadOptions.time(option, value);
                case "--duration" -> duration = LoadOptions.time(option, value);
                case "--rounds" -> rounds = count(option, value);
                case "--pool-size" -> poolSize = count(option, value);
                case "--seed" -> seed = seed(value);
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
        if (budget.isZero()) {
            throw new IllegalArgumentException("--budget must be more than 0");
        }
        if (budget.compareTo(HIKARI_TIMEOUT_FLOOR) < 0 && contenders.stream().anyMatch(c -> c.optionName().equals("hikari"))) {
            throw new IllegalArgumentException("--budget " + budget.toMillis() + "ms is below HikariCP's smallest connection timeout ("
                    + HIKARI_TIMEOUT_FLOOR.toMillis() + " ms; below it HikariCP waits 30 s): give 250ms or more, or leave hikari out of --pools");
        }
        if (statement.isBlank()) {
            throw new IllegalArgumentException("--statement must not be blank");
        }
        return new OverloadOptions(contenders, loads, budget, statement, statementTimeout, arrivals, virtualThreads,
                warmup, duration, rounds, poolSize, seed, url, user, password, json);
    }

    /** Whether to start an embedded server rather than use {@link #url()}. */
    boolean embedded() {
        return url == null;
    }

    OverloadStatement overloadStatement() {
        return new OverloadStatement(statement, statementTimeout);
    }

    /** {@code virtual thread} or {@code platform thread}: what runs each request. */
    String threadsLabel() {
        return virtualThreads ? "virtual thread" : "platform thread";
    }

    private static List<Double> loads(String value) {
        try {
            List<Double> loads = LoadOptions.list(value).stream().map(Double::valueOf).distinct().toList();
            if (loads.stream().anyMatch(load -> !(load > 0) || load.isInfinite())) {
                throw new IllegalArgumentException("--loads takes multiples of the capacity above 0, like 0.83,1.33,2, not '" + value + "'");
            }
            return loads;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--loads takes numbers like 0.83,1.33,2, not '" + value + "'");
        }
    }

    private static boolean virtualThreads(String value) {
        String kind = value.trim().toLowerCase(Locale.ROOT);
        if (kind.equals("platform")) {
            return false;
        }
        if (!kind.equals("virtual")) {
            throw new IllegalArgumentException("--threads takes virtual or platform, not '" + value + "'");
        }
        if (!ClientThreads.virtualThreadsAvailable()) {
            throw new IllegalArgumentException("--threads virtual needs JDK 21 or newer; this is " + Runtime.version());
        }
        return true;
    }

    private static int count(String option, String value) {
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 1) {
                throw new IllegalArgumentException(option + " takes a count of 1 or more, not '" + value + "'");
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed takes a whole number, not '" + value + "'");
        }
    }

    /** The options as given, for the log; the password is never shown. */
    @Override
    public String toString() {
        return "pools " + contenders.stream().map(OverloadContender::optionName).toList()
                + ", loads " + loads + ", budget " + budget.toMillis() + " ms"
                + ", statement '" + statement + "', statement timeout " + statementTimeout.optionName()
                + ", arrivals " + arrivals.optionName() + ", a " + threadsLabel() + " per request"
                + ", warm-up " + MarkdownReport.seconds(warmup.toNanos())
                + ", duration " + MarkdownReport.seconds(duration.toNanos()) + ", rounds " + rounds
                + ", pool size " + poolSize + ", seed " + seed
                + ", database " + (embedded() ? "embedded" : Database.masked(url));
    }

    /** A copy comparing {@code contenders} instead: for variants that no option names (tests). */
    OverloadOptions withContenders(List<OverloadContender> contenders) {
        return new OverloadOptions(contenders, loads, budget, statement, statementTimeout, arrivals, virtualThreads,
                warmup, duration, rounds, poolSize, seed, url, user, password, json);
    }
}
