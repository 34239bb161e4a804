package com.example.orders;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The program behind the JFR recording in the README: 4 threads on a pool of 2, each looping a quick
 * lookup and a 100 ms export, on the embedded PostgreSQL. In a package of its own, as an
 * application's code would be, so the events name its methods as the sites.
 */
public class OrderReport {

    public static void main(String[] args) throws Exception {
        TestDatabase db = EmbeddedPostgresExtension.database();
        PoolConfig config = new PoolConfig();
        config.setName("orders");
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(2);
        config.setConnectionWaitTimeout(Duration.ofMillis(80));
        try (PoolDataSource pool = new PoolDataSource(config)) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                threads.submit(() -> {
                    for (int n = 0; n < 5; n++) {
                        try {
                            lookup(pool);
                            export(pool);
                        } catch (Exception e) {
                            System.out.println(Thread.currentThread().getName() + ": " + e.getMessage());
                        }
                    }
                    return null;
                });
            }
            threads.shutdown();
            threads.awaitTermination(1, TimeUnit.MINUTES);
            pool.evictIdle();
        }
    }

    static void lookup(PoolDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    static void export(PoolDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.1)");
        }
    }
}
