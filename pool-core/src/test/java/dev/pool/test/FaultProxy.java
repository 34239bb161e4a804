package dev.pool.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (the test PostgreSQL), to break the network
 * between the pool and the database in the ways production breaks it:
 * <ul>
 *   <li>{@link #refuseNewConnections()}: the listening socket is closed, so connects are refused by
 *       the kernel (as by a server at its connection limit or a firewall that rejects), while open
 *       connections keep working; {@link #acceptNewConnections()} listens again on the same port;</li>
 *   <li>{@link #cutAll()}: every open connection is reset (as by a backend crash or a failover);</li>
 *   <li>{@link #blackHole()}: nothing is forwarded in either direction, on open connections and new
 *       ones alike, until {@link #endBlackHole()} (a dropped route: TCP connects still complete, as
 *       the proxy accepts them, but no byte of the handshake or of a query gets through). Held bytes
 *       are delivered when it ends, as TCP retransmission would;</li>
 *   <li>{@link #setLatency}: every chunk forwarded, in each direction, is delayed this long (a slow
 *       link; a PostgreSQL connect makes two or three round trips through it);</li>
 *   <li>{@link #pointAt}: new connections go to another server from now on, as when a DNS name or a
 *       virtual IP moves in a failover, or HAProxy switches backends; open connections stay with the
 *       server they were opened to (a TCP session cannot move), unless {@link #cutAll()} resets them
 *       too, as a VIP move or HAProxy's {@code on-marked-down shutdown-sessions} does.</li>
 * </ul>
 * It counts what it saw ({@link #accepted()}, {@link #openConnections()}, {@link #maxOpenConnections()}),
 * so a test can check what reached the server. Each connection costs two daemon threads; the proxy
 * is for tests with tens of connections, not thousands.
 */
public final class FaultProxy implements AutoCloseable {

    /** Where new connections go; open ones keep the server they were opened to. */
    private volatile InetSocketAddress upstream;
    /** Held while a link chooses its server and registers, so {@link #pointAt} is a clean cut. */
    private final Object routing = new Object();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger threadIds = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    /** Non-null while black-holed: forwarding threads wait on it. */
    private volatile CountDownLatch hole;
    private volatile boolean closed;
    private int port;
    /** Guarded by {@code this}; null while refusing. */
    private ServerSocket listener;

    private FaultProxy(InetSocketAddress upstream) {
        this.upstream = upstream;
    }

    /** A proxy forwarding to {@code host:port}, listening on a free port of 127.0.0.1. */
    public static FaultProxy to(String host, int port) {
        FaultProxy proxy = new FaultProxy(new InetSocketAddress(host, port));
        proxy.acceptNewConnections();
        return proxy;
    }

    /** A proxy in front of the test database. */
    public static FaultProxy inFrontOf(TestDatabase database) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        return to(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort());
    }

    /**
     * From now on, new connections go to {@code host:port}; open connections are untouched. Waits for
     * a connect to the old server in progress, so once this returns no new link goes there.
     */
    public void pointAt(String host, int port) {
        synchronized (routing) {
            upstream = new InetSocketAddress(host, port);
        }
    }

    /** From now on, new connections go to {@code database}; open connections are untouched. */
    public void pointAt(TestDatabase database) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        pointAt(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort());
    }

    /** {@code database}'s JDBC URL, going through this proxy, with the driver's {@code ApplicationName}. */
    public String jdbcUrl(TestDatabase database, String applicationName) {
        URI uri = URI.create(database.jdbcUrl(applicationName).substring("jdbc:".length()));
        String rest = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return "jdbc:" + uri.getScheme() + "://127.0.0.1:" + port() + rest;
    }

    public synchronized int port() {
        return port;
    }

    // ---- faults

    /** Stops listening: new connects are refused; open connections are untouched. */
    public synchronized void refuseNewConnections() {
        if (listener == null) {
            return;
        }
        closeQuietly(listener);
        listener = null;
    }

    /** Listens (again, on the same port) and forwards new connections. */
    public synchronized void acceptNewConnections() {
        if (listener != null || closed) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true); // rebinding the same port while old connections sit in TIME_WAIT
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            port = socket.getLocalPort();
            listener = socket;
            daemon("fault-proxy-" + port + "-accept", () -> acceptLoop(socket)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Fault proxy could not listen on 127.0.0.1:" + port, e);
        }
    }

    /**
     * Resets every open connection (the client sees "connection reset" or end of stream). After
     * {@link #refuseNewConnections()} none survives: a connection accepted just before the proxy
     * stopped listening either registered before this (and is reset here) or is reset as it registers.
     */
    public void cutAll() {
        synchronized (routing) {
            for (Link link : links) {
                link.reset();
            }
        }
    }

    /** From now on nothing is forwarded, on open or new connections, until {@link #endBlackHole()}. */
    public synchronized void blackHole() {
        if (hole == null) {
            hole = new CountDownLatch(1);
        }
    }

    /** Forwards again, delivering what was held. */
    public synchronized void endBlackHole() {
        CountDownLatch held = hole;
        hole = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Every chunk forwarded from now on is delayed this long, in each direction. */
    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    // ---- observations

    /** Connections accepted since the proxy started. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return links.size();
    }

    /** Connections open through the proxy now to {@code database} (opened while the proxy pointed at it). */
    public int openConnectionsTo(TestDatabase database) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        int count = 0;
        for (Link link : links) {
            if (link.target.getPort() == port && link.target.getHostString().equals(uri.getHost())) {
                count++;
            }
        }
        return count;
    }

    /** The most connections that were open through the proxy at once. */
    public int maxOpenConnections() {
        return maxOpen.get();
    }

    /** Stops listening and resets every connection; forwarding threads end. */
    @Override
    public void close() {
        closed = true;
        refuseNewConnections();
        endBlackHole();
        cutAll();
    }

    // ---- forwarding

    private void acceptLoop(ServerSocket socket) {
        for (;;) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closedOrRefusing) {
                return;
            }
            accepted.incrementAndGet();
            Socket server = new Socket();
            Link link;
            synchronized (routing) {
                if (socket.isClosed()) { // accepted as the proxy stopped listening: refused like those after it
                    resetQuietly(client);
                    return;
                }
                InetSocketAddress target = upstream; // read once: the link stays with this server
                try {
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                    server.connect(target, 5_000);
                } catch (IOException upstreamDown) {
                    resetQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                link = new Link(client, server, target);
                links.add(link);
            }
            maxOpen.accumulateAndGet(links.size(), Math::max);
            link.start();
            if (closed) {
                link.reset();
            }
        }
    }

    private Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close with RST, not FIN: the peer sees a reset
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing: nothing to do with the error
        }
    }

    /** One client connection and its connection to the server, with a forwarding thread each way. */
    private final class Link {

        private final Socket client;
        private final Socket server;
        private final InetSocketAddress target;
        private final Thread up;
        private final Thread down;

        Link(Socket client, Socket server, InetSocketAddress target) {
            this.client = client;
            this.server = server;
            this.target = target;
            int id = threadIds.incrementAndGet();
            this.up = daemon("fault-proxy-" + id + "-up", () -> forward(client, server));
            this.down = daemon("fault-proxy-" + id + "-down", () -> forward(server, client));
        }

        void start() {
            up.start();
            down.start();
        }

        private void forward(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) != -1) {
                    CountDownLatch held = hole;
                    if (held != null) {
                        held.await();
                    }
                    Duration delay = latency;
                    if (!delay.isZero()) {
                        Thread.sleep(delay.toMillis()); // the simulated link is this slow
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                close();
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        /** Closes both sides normally, as a peer that closed its end. */
        void close() {
            if (links.remove(this)) {
                closeQuietly(client);
                closeQuietly(server);
                up.interrupt();
                down.interrupt();
            }
        }

        /** Resets both sides. */
        void reset() {
            if (links.remove(this)) {
                resetQuietly(client);
                resetQuietly(server);
                up.interrupt();
                down.interrupt();
            }
        }
    }
}
