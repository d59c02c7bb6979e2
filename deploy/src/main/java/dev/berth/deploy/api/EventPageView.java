package dev.berth.deploy.api;

import java.util.List;

/** Events after a sequence; pass {@code nextAfter} as {@code after} to read on. */
public record EventPageView(List<EventView> items, long nextAfter) {
}
