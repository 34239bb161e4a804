package dev.pool.benchmarks.failover;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.EvictionReason;
import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.test.FaultProxy;
import dev.pool.test.PrimaryAndStandby;
import dev.pool.test.TestDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * How long writes keep failing after a switchover, per pool: the scenario of HikariCP issues
 * #1802, #1971 and #2185, on a real primary and streaming standby ({@link PrimaryAndStandby}, from
 * pool-core's test support) behind a TCP proxy that plays a DNS name or virtual IP.
 *
 * <p>Writers loop borrow / insert / return through the pool. The name then moves to the standby
 * and the old sessions are reset, so the pool's new connections reach a server where every write
 * fails with SQLState 25006; after {@code --on-standby} the server becomes writable again, in one of
 * two ways:
 * <ul>
 *   <li>{@code switch-back}: the name moves back to the primary; connections already open to the
 *       standby stay open (a DNS change, or a proxy that switches backends without killing sessions);</li>
 *   <li>{@code promotion}: the old primary is stopped and the standby promoted ({@code pg_promote()}),
 *       so the connections that reached it become writable.</li>
 * </ul>
 * It then watches for {@code --observe} and reports, from the moment the server was writable, how
 * long writes kept failing, how long until every writer had written again, how many failed, and how
 * many connections the pool opened. Pool's primary-role guard closes the connections that reach the
 * standby and, until a new connection reaches a primary, lends none that does (its writers wait);
 * HikariCP lends them until {@code maxLifetime}.
 */
public final class SwitchoverBenchmark {

    static final String USAGE = """
            Usage: java -cp benchmarks.jar dev.pool.benchmarks.failover.SwitchoverBenchmark [options]

            Writers loop borrow / insert / return through each pool while a proxy in front of an embedded
            PostgreSQL primary moves to its streaming standby and back (switch-back), or the standby is
            promoted (promotion). Prints how long writes kept failing once the server was writable.

              --pools LIST        of pool,hikari                                   (default: pool,hikari)
              --scenarios LIST    of switch-back,promotion                (default: switch-back,promotion)
              --writers N         writer threads                                              (default: 8)
              --pool-size N       max size and min idle of every pool                        (default: 10)
              --on-standby TIME   how long the name points at the standby                   (default: 2s)
              --observe TIME      how long to watch once the server is writable again       (default: 10s)
              -h, --help          this text

            TIME is 500ms, 10s or 1m; LISTs are comma-separated.
            """;

    /** After a failed write a writer pauses this long, as an application retrying would. */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(5);

    /** The pools compared. */
    enum Contender {
        POOL("Pool") {
            @Override
            DataSource open(String url, TestDatabase server, int size) {
                PoolConfig config = new PoolConfig();
                config.setName("switchover");
                config.setUrl(url);
                config.setUsername(server.username());
                config.setPassword(server.password());
                config.setMaxSize(size);
                config.setMinIdle(size);
                config.setInitialSize(size);
                config.setConnectionWaitTimeout(WAIT_TIMEOUT);
                return new PoolDataSource(config);
            }
        },
        HIKARI("HikariCP") {
            @Override
            DataSource open(String url, TestDatabase server, int size) {
                HikariConfig config = new HikariConfig();
                config.setPoolName("switchover");
                config.setJdbcUrl(url);
                config.setUsername(server.username());
                config.setPassword(server.password());
                config.setMaximumPoolSize(size);
                config.setMinimumIdle(size);
                config.setConnectionTimeout(WAIT_TIMEOUT.toMillis());
                return new HikariDataSource(config);
            }
        };

        final String displayName;

        Contender(String displayName) {
            this.displayName = displayName;
        }

        abstract DataSource open(String url, TestDatabase server, int size);
    }

    enum Scenario {
        SWITCH_BACK, PROMOTION;

        String optionName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Options(List<Contender> pools, List<Scenario> scenarios, int writers, int poolSize, Duration onStandby, Duration observe) {

        static Options parse(String... args) {
            List<Contender> pools = List.of(Contender.values());
            List<Scenario> scenarios = List.of(Scenario.values());
            int writers = 8;
            int poolSize = 10;
            Duration onStandby = Duration.ofSeconds(2);
            Duration observe = Duration.ofSeconds(10);
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("-h") || option.equals("--help")) {
                    throw new IllegalArgumentException(USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
                }
                String value = args[++i];
                switch (option) {
                    case "--pools" -> pools = parseList(value, Contender.class, c -> c.name().toLowerCase(Locale.ROOT));
                    case "--scenarios" -> scenarios = parseList(value, Scenario.class, Scenario::optionName);
                    case "--writers" -> writers = positive(option, value);
                    case "--pool-size" -> poolSize = positive(option, value);
                    case "--on-standby" -> onStandby = duration(option, value);
                    case "--observe" -> observe = duration(option, value);
                    default -> throw new IllegalArgumentException("Unknown option " + option + "\n\n" + USAGE);
                }
            }
            return new Options(pools, scenarios, writers, poolSize, onStandby, observe);
        }

        private static <E extends Enum<E>> List<E> parseList(String value, Class<E> type, java.util.function.Function<E, String> name) {
            List<E> chosen = new ArrayList<>();
            for (String item : value.split(",")) {
                E match = null;
                for (E candidate : type.getEnumConstants()) {
                    if (name.apply(candidate).equals(item.trim())) {
                        match = candidate;
                    }
                }
                if (match == null) {
                    throw new IllegalArgumentException("Unknown value '" + item + "'\n\n" + USAGE);
                }
                chosen.add(match);
            }
            return chosen;
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " = " + value + ": must be a positive whole number");
        }

        private static Duration duration(String option, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " = " + value + ": use a time such as 500ms, 2s or 1m");
        }
    }

    /**
     * What one pool did in one scenario, times in ms from the moment the server was writable again:
     * {@code failingForMs} until the last failed write ended (-1 when writes were still failing at the
     * end of the observation), {@code allWritingMs} until every writer had written once (-1 if one never did).
     */
    record Result(Contender pool, Scenario scenario, long writesOnStandby, long failedOnStandby, long failedAfterWritable,
            long failingForMs, long allWritingMs, long lastSecondOk, long lastSecondFailed, int connectionsOpened,
            long readOnlyEvictions) {

        boolean recovered() {
            return failingForMs >= 0;
        }
    }

    private final Options options;
    private final PrintStream out;

    SwitchoverBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<Result> results = new SwitchoverBenchmark(options, System.out).run();
        System.out.println();
        System.out.println(markdown(results, options));
    }

    List<Result> run() throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : options.scenarios()) {
            for (Contender pool : options.pools()) {
                Result result = run(pool, scenario);
                out.printf("%s, %s: %s, every writer wrote within %s (%d writes failed after it); "
                                + "on the standby %d of %d writes failed; %d connections opened; read-only evictions %d%n",
                        scenario.optionName(), pool.displayName, result.recovered()
                                ? "last failed write " + result.failingForMs() + " ms after the server was writable"
                                : "writes still failing " + options.observe().toSeconds() + " s after the server was writable",
                        result.allWritingMs() < 0 ? "never" : result.allWritingMs() + " ms", result.failedAfterWritable(),
                        result.failedOnStandby(), result.writesOnStandby(), result.connectionsOpened(), result.readOnlyEvictions());
                results.add(result);
            }
        }
        return results;
    }

    private Result run(Contender contender, Scenario scenario) throws InterruptedException {
        try (PrimaryAndStandby servers = PrimaryAndStandby.start(); FaultProxy proxy = FaultProxy.inFrontOf(servers.primary())) {
            PrimaryAndStandby.execute(servers.primary(), "create table switchover_writes (id bigserial primary key, writer int)");
            servers.awaitReplayed();
            DataSource pool = contender.open(proxy.jdbcUrl(servers.primary(), "switchover"), servers.primary(), options.poolSize());
            try (WriteLoop writers = new WriteLoop(pool, options.writers())) {
                writers.awaitSuccesses(100, Duration.ofSeconds(30));
                int acceptedBefore = proxy.accepted();

                long toStandby = System.nanoTime();
                proxy.pointAt(servers.standby());
                proxy.cutAll(); // the old sessions die with the move, as with a virtual IP
                sleep(options.onStandby()); // the scenario: the name stays on the standby this long

                if (scenario == Scenario.SWITCH_BACK) {
                    proxy.pointAt(servers.primary()); // connections open to the standby stay open
                } else {
                    servers.primary().stop();
                    servers.promoteStandby();
                }
                long writable = System.nanoTime();
                sleep(options.observe());
                long end = System.nanoTime();
                writers.close();

                List<WriteLoop.Round> rounds = writers.rounds();
                long lastFailure = Long.MIN_VALUE;
                long failedAfter = 0;
                long lastSecondOk = 0;
                long lastSecondFailed = 0;
                long onStandby = 0;
                long failedOnStandby = 0;
                long lastSecond = end - TimeUnit.SECONDS.toNanos(1);
                for (WriteLoop.Round round : rounds) {
                    if (round.start() - toStandby >= 0 && round.start() - writable < 0) {
                        onStandby++;
                        failedOnStandby += round.ok() ? 0 : 1;
                    }
                    if (round.start() - lastSecond >= 0) {
                        if (round.ok()) {
                            lastSecondOk++;
                        } else {
                            lastSecondFailed++;
                        }
                    }
                    if (!round.ok() && round.end() - writable >= 0) {
                        lastFailure = Math.max(lastFailure, round.end());
                        if (round.start() - writable >= 0) {
                            failedAfter++;
                        }
                    }
                }
                long failingFor = lastSecondFailed > 0 ? -1
                        : lastFailure == Long.MIN_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(lastFailure - writable);
                long readOnly = pool instanceof PoolDataSource p ? p.stats().evictions().get(EvictionReason.READ_ONLY) : 0;
                return new Result(contender, scenario, onStandby, failedOnStandby, failedAfter, failingFor,
                        allWriting(rounds, writable), lastSecondOk, lastSecondFailed, proxy.accepted() - acceptedBefore, readOnly);
            } finally {
                if (pool instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        out.println("Could not close " + contender.displayName + ": " + e);
                    }
                }
            }
        }
    }

    /** From {@code writable} until every writer had a write succeed that ended after it, in ms; -1 if one never did. */
    private long allWriting(List<WriteLoop.Round> rounds, long writable) {
        long last = writable;
        for (int writer = 0; writer < options.writers(); writer++) {
            int w = writer;
            long first = rounds.stream().filter(r -> r.writer() == w && r.ok() && r.end() - writable >= 0)
                    .mapToLong(WriteLoop.Round::end).min().orElse(Long.MIN_VALUE);
            if (first == Long.MIN_VALUE) {
                return -1;
            }
            last = first - last > 0 ? first : last;
        }
        return TimeUnit.NANOSECONDS.toMillis(last - writable);
    }

    static String markdown(List<Result> results, Options options) {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | pool | writes failing after the server was writable | every writer wrote again after "
                + "| failed writes after | last second: ok / failed "
                + "| on the standby: failed / all writes | connections opened | evictions `read-only` |\n");
        table.append("|---|---|---|---|---:|---|---|---:|---:|\n");
        for (Result r : results) {
            table.append("| ").append(r.scenario().optionName()).append(" | ").append(r.pool().displayName).append(" | ")
                    .append(failingFor(r, options)).append(" | ")
                    .append(r.allWritingMs() < 0 ? "never" : r.allWritingMs() + " ms").append(" | ")
                    .append(r.failedAfterWritable()).append(" | ")
                    .append(r.lastSecondOk()).append(" / ").append(r.lastSecondFailed()).append(" | ")
                    .append(r.failedOnStandby()).append(" / ").append(r.writesOnStandby()).append(" | ")
                    .append(r.connectionsOpened()).append(" | ").append(r.readOnlyEvictions()).append(" |\n");
        }
        return table.toString();
    }

    private static String failingFor(Result result, Options options) {
        return result.recovered() ? result.failingForMs() + " ms" : "still failing after " + options.observe().toSeconds() + " s";
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Writer threads looping borrow / insert / return, each round recorded. */
    static final class WriteLoop implements AutoCloseable {

        record Round(int writer, long start, long end, boolean ok) { }

        private final DataSource pool;
        private final Queue<Round> rounds = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        WriteLoop(DataSource pool, int writers) {
            this.pool = pool;
            for (int i = 0; i < writers; i++) {
                int writer = i;
                Thread thread = new Thread(() -> loop(writer), "switchover-writer-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void loop(int writer) {
            while (running) {
                long start = System.nanoTime();
                boolean ok;
                try (Connection connection = pool.getConnection();
                        PreparedStatement insert = connection.prepareStatement("insert into switchover_writes (writer) values (?)")) {
                    insert.setInt(1, writer);
                    insert.executeUpdate();
                    ok = true;
                } catch (SQLException e) {
                    ok = false;
                }
                rounds.add(new Round(writer, start, System.nanoTime(), ok));
                if (!ok) {
                    LockSupport.parkNanos(PAUSE_AFTER_FAILURE_NANOS);
                }
            }
        }

        void awaitSuccesses(int count, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (rounds.stream().filter(Round::ok).count() < count) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("The writers did not get " + count + " writes through within " + within);
                }
                Thread.sleep(10);
            }
        }

        List<Round> rounds() {
            return List.copyOf(rounds);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}
