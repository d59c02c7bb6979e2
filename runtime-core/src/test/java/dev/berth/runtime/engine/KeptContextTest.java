package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Usage;
import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.SessionTail;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.memory.MemoryService;
import dev.berth.runtime.memory.MemoryStore;
import dev.berth.runtime.port.EventLog;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A run's context is read once per execution and then follows the run's own commits. */
class KeptContextTest {
    private static final TenantId TENANT = new TenantId(UUID.randomUUID());
    private static final UUID SESSION = UUID.randomUUID();
    private static final int WINDOW = 5;

    private final AtomicInteger tailReads = new AtomicInteger();
    private final AtomicInteger blockReads = new AtomicInteger();
    private final List<Event> log = new ArrayList<>();
    private final Run run = new Run(UUID.randomUUID(), TENANT, SESSION, 3, RunStatus.RUNNING, 0, 0, "a", 1,
            Usage.ZERO, null, null, Instant.now(), Instant.now(), null);
    private final KeptContext memory = new KeptContext(parts(), run, "alice", agent());

    @Test
    void theContextIsReadOnceAndExtendedByTheRunsOwnCommits() {
        // Given a session of three events, the last the run's input
        append(EventType.USER_MESSAGE, "one");
        append(EventType.ASSISTANT_MESSAGE, "two");
        append(EventType.USER_MESSAGE, "three");
        StepContext first = memory.load().await().indefinitely();

        // When the run commits an answer and loads its context for the next step
        memory.committed(List.of(newEvent(EventType.ASSISTANT_MESSAGE, "four")), 4);
        StepContext second = memory.load().await().indefinitely();

        // Then the log and the blocks were read once, and the answer is in the window with its sequence number
        assertThat(tailReads).hasValue(1);
        assertThat(blockReads).hasValue(1);
        assertThat(first.window()).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(second.window()).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
        Event answer = second.window().getLast();
        assertThat(answer.runId()).isEqualTo(run.id());
        assertThat(answer.data().path("text").asText()).isEqualTo("four");
    }

    @Test
    void theKeptWindowHoldsTheNewestEventsUpToItsSize() {
        append(EventType.USER_MESSAGE, "one");
        memory.load().await().indefinitely();

        // When one step commits more events than the window holds (sequence numbers 2..7)
        List<NewEvent> events = new ArrayList<>();
        for (int i = 2; i <= 7; i++) {
            events.add(newEvent(EventType.TOOL_RESULT, "r" + i));
        }
        memory.committed(events, 7);

        // Then only the newest WINDOW events are kept, as a fresh read would return them
        assertThat(memory.load().await().indefinitely().window()).extracting(Event::seq)
                .containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(tailReads).hasValue(1);
    }

    @Test
    void afterForgetTheNextStepReadsAfresh() {
        append(EventType.USER_MESSAGE, "one");
        memory.load().await().indefinitely();

        // When the execution forgets its context (a compaction, a team step, a failure, a block edit)
        memory.forget();
        append(EventType.ASSISTANT_MESSAGE, "written elsewhere");
        StepContext again = memory.load().await().indefinitely();

        // Then it is read again, with what was written meanwhile
        assertThat(tailReads).hasValue(2);
        assertThat(blockReads).hasValue(2);
        assertThat(again.window()).extracting(Event::seq).containsExactly(1L, 2L);
    }

    private void append(String type, String text) {
        log.add(new Event(SESSION, log.size() + 1, null, type, DocumentJson.object().put("text", text), Instant.now()));
    }

    private static NewEvent newEvent(String type, String text) {
        return new NewEvent(type, DocumentJson.object().put("text", text));
    }

    private EngineParts parts() {
        EventLog events = new EventLog() {
            @Override
            public Uni<List<Event>> after(TenantId tenant, UUID sessionId, long afterSeq, int limit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<SessionTail> tail(TenantId tenant, UUID sessionId, int limit) {
                tailReads.incrementAndGet();
                List<Event> newest = log.subList(Math.max(0, log.size() - limit), log.size());
                return Uni.createFrom().item(new SessionTail(null, List.copyOf(newest)));
            }

            @Override
            public Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<NewEvent> added, boolean whenIdle) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<List<Event>> visible(TenantId tenant, UUID sessionId, java.util.Set<String> types,
                    String hiddenType, long fromSeq, boolean newestFirst, int limit) {
                throw new UnsupportedOperationException();
            }
        };
        MemoryStore store = stub(MemoryStore.class, Map.of("blocks", () -> {
            blockReads.incrementAndGet();
            return Uni.createFrom().item(List.of());
        }));
        MemoryService memoryService = new MemoryService(store, null, stub(MemoryConfig.class, Map.of()));
        EngineConfig config = stub(EngineConfig.class, Map.of("contextMaxEvents", () -> WINDOW));
        return new EngineParts(null, events, null, null, null, null, config, Clock.systemUTC(), null, null,
                memoryService, null, null, null);
    }

    private static AgentDefinition agent() {
        AgentSpec spec = new AgentSpec("Be brief.", "gpt-4o", List.of(), null, null, List.of(), List.of(), List.of(),
                List.of(), new MemoryPolicy(16_000, 0, null, null, null, null));
        return new AgentDefinition(TENANT, "a", 1, spec, Instant.now());
    }

    /** An interface whose named methods answer as given; any other method answers null (or 0). */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, java.util.function.Supplier<Object>> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName()).get();
            }
            Class<?> returned = method.getReturnType();
            if (returned == double.class) {
                return 0.0;
            }
            if (returned == int.class || returned == long.class) {
                return returned == int.class ? (Object) 0 : (Object) 0L;
            }
            return returned == boolean.class ? false : null;
        });
    }
}
