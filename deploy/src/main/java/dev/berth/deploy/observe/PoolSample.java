package dev.berth.deploy.observe;

/**
 * One reading of the reactive database pool.
 *
 * @param inUse connections lent out now
 * @param waiting requests waiting for a connection now
 * @param released connections given back since the process started (only ever grows)
 * @param max the pool's size
 */
public record PoolSample(long inUse, long waiting, long released, int max) {
    /** No connection free and someone waiting: fine for a moment under load, fatal if nothing moves. */
    public boolean exhausted() {
        return waiting > 0 && inUse >= max;
    }
}
