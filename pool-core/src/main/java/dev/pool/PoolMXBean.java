package dev.pool;

/**
 * The pool over JMX, registered as {@code dev.pool:type=Pool,name=<name>} when
 * {@code register-mbeans} is on.
 */
public interface PoolMXBean {

    String getName();

    String getState();

    int getActive();

    int getIdle();

    int getTotal();

    int getPending();

    int getMaxSize();

    int getMinSize();

    int getMinIdle();

    long getBorrowed();

    long getCreated();

    long getWaits();

    long getTimeouts();

    long getEvictions();

    void evictIdle();

    void evictAll();

    void suspend();

    void resume();

    void resize(int minIdle, int maxSize);
}
