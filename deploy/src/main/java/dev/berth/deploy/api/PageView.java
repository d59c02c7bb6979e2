package dev.berth.deploy.api;

import java.util.List;

/** A page of items; pass {@code nextCursor} as {@code cursor} for the next page (null on the last). */
public record PageView<T>(List<T> items, String nextCursor) {
}
