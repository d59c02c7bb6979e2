package dev.berth.runtime.domain;

import java.util.List;

/**
 * The part of a session's log a model call is built from: the newest rolling summary (a
 * {@code context.compacted} event) and the newest events after what it summarises.
 *
 * @param summary the newest {@code context.compacted} event, or null when there is none
 * @param window  the newest events after the summary's {@code throughSeq}, oldest first
 */
public record SessionTail(Event summary, List<Event> window) {
    public SessionTail {
        window = List.copyOf(window);
    }
}
