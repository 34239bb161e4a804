package dev.pool.benchmarks.load;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads clients run on: platform threads, or on JDK 21+ virtual threads. The module compiles
 * with {@code --release 17}, so {@code Thread.ofVirtual()} is looked up at run time rather than
 * called; on JDK 17 {@link #virtualThreadsAvailable()} is false and the virtual cells are skipped.
 */
final class ClientThreads {

    private static final ThreadFactory VIRTUAL = lookUpVirtualFactory();

    private ClientThreads() {
    }

    static boolean virtualThreadsAvailable() {
        return VIRTUAL != null;
    }

    /** Daemon platform threads: a client stuck past its cell's bound never holds the JVM open. */
    static ThreadFactory platform(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Virtual threads (always daemons), named alike; only when {@link #virtualThreadsAvailable()}. */
    static ThreadFactory virtual(String prefix) {
        if (VIRTUAL == null) {
            throw new IllegalStateException("Virtual threads need JDK 21 or newer; this is " + Runtime.version());
        }
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = VIRTUAL.newThread(task);
            thread.setName(prefix + next.getAndIncrement());
            return thread;
        };
    }

    /** {@code Thread.ofVirtual().factory()}, or null before JDK 21. */
    private static ThreadFactory lookUpVirtualFactory() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualBuilder));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(ofVirtual.invoke());
        } catch (Throwable e) {
            throw new IllegalStateException("JDK " + Runtime.version() + " should have Thread.ofVirtual()", e);
        }
    }
}
