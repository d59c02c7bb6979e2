package dev.berth.runtime.domain;

import java.util.List;

/** A page of results and the cursor of the next page, or null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
