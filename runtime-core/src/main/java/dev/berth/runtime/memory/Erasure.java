package dev.berth.runtime.memory;

/** What the erasure of an actor removed. */
public record Erasure(long sessions, long memories, long blocks, long jobs) {
}
