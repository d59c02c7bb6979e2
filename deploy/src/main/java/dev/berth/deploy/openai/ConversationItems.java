package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.service.EventService;
import dev.berth.runtime.service.HistoryService;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Pages of a conversation's items (OpenAI's {@code after}, {@code limit}, {@code order}) over the events
 * {@link HistoryService#visible} reads: hidden items are left out by the store. One event may be
 * several items (an answer with calls), so a page is cut by item, and {@code after} may point inside
 * an event: its position orders the items of one event (ADR 0039).
 */
final class ConversationItems {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final HistoryService history;

    ConversationItems(HistoryService history) {
        this.history = history;
    }

    /** OpenAI's item list: {@code data}, {@code first_id}, {@code last_id}, {@code has_more}. */
    Uni<ObjectNode> list(TenantId tenant, UUID session, String after, Integer limit, String order) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ValidationException.field("order", "must be asc or desc");
        }
        boolean newestFirst = !"asc".equals(order); // OpenAI lists newest first by default
        Cursor cursor = after == null ? null : Cursor.of(OpenAiIds.parseItem(after));
        long from = cursor != null ? cursor.seq : newestFirst ? Long.MAX_VALUE : 0;
        return collect(tenant, session, from, cursor, newestFirst, size + 1, new ArrayList<>())
                .map(items -> page(items, size));
    }

    /** Adds items after the cursor until {@code wanted} are found or the log has no more. */
    private Uni<List<ObjectNode>> collect(TenantId tenant, UUID session, long from, Cursor cursor, boolean newestFirst,
            int wanted, List<ObjectNode> found) {
        int read = Math.min(EventService.MAX_PAGE, wanted + 1);
        return history.visible(tenant, session, from, newestFirst, read).chain(events -> {
            for (Event event : events) {
                List<ConversationViews.Placed> items = new ArrayList<>(ConversationViews.items(event));
                if (newestFirst) {
                    java.util.Collections.reverse(items);
                }
                for (ConversationViews.Placed item : items) {
                    if ((cursor == null || cursor.before(item, newestFirst)) && found.size() < wanted) {
                        found.add(item.item());
                    }
                }
            }
            if (found.size() >= wanted || events.size() < read) {
                return Uni.createFrom().item(found);
            }
            long last = events.getLast().seq();
            return collect(tenant, session, newestFirst ? last - 1 : last + 1, cursor, newestFirst, wanted, found);
        });
    }

    private static ObjectNode page(List<ObjectNode> items, int size) {
        return OpenAiLists.page(items.subList(0, Math.min(size, items.size())), items.size() > size);
    }

    /** OpenAI's answer to added items: every item of the events written, as one list. */
    static ObjectNode added(List<Event> events) {
        List<ObjectNode> added = new ArrayList<>();
        events.forEach(event -> ConversationViews.items(event).forEach(item -> added.add(item.item())));
        return page(added, added.size());
    }

    /** The item an id names, if it is a visible item of the session (404 otherwise). */
    Uni<ObjectNode> item(TenantId tenant, UUID session, String id) {
        OpenAiIds.ItemId parsed = OpenAiIds.parseItem(id);
        return history.item(tenant, session, parsed.seq(), "item", id).map(event -> {
            if (parsed.names(event)) {
                for (ConversationViews.Placed item : ConversationViews.items(event)) {
                    if (id.equals(item.item().path("id").asText())) {
                        return item.item();
                    }
                }
            }
            throw new NotFoundException("item", id);
        });
    }

    /** An {@code after} position: the cursor's event and its place in it. */
    private record Cursor(long seq, int position) {
        static Cursor of(OpenAiIds.ItemId id) {
            return new Cursor(id.seq(), ConversationViews.position(id));
        }

        /** Whether the item comes after this cursor in the listing's order. */
        boolean before(ConversationViews.Placed item, boolean newestFirst) {
            int compared = item.seq() != seq ? Long.compare(item.seq(), seq) : Integer.compare(item.position(), position);
            return newestFirst ? compared < 0 : compared > 0;
        }
    }
}
