package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.config.Deployment;
import dev.berth.model.fake.internal.ChatRequestRules;
import dev.berth.model.fake.internal.Violation;
import dev.berth.model.internal.ChatEncoder;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.tools.ToolRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Over random interleavings of a session's runs (inputs arriving at any point, tool calls answered
 * late as client tools and approvals are, runs cancelled, interrupted or timed out with calls open,
 * with or without a committed result for them, handoffs, any context budget), every model request a
 * run would send passes the strict fake's checks, and every compaction folds a prefix of the log
 * (ADR 0018). The session is simulated as the engine writes it: runs execute one after another, input
 * for later runs is written whenever it arrives.
 *
 * <p>1,000 tries by default; more with {@code -Djqwik.tries.default=N} (see docs/adr/0018).
 */
class ToolExchangePropertyTest {
    private static final Deployment DEPLOYMENT = Deployment.openAi("http://127.0.0.1:1/v1", "gpt-4o", "k");
    private final ContextAssembler assembler = new ContextAssembler(new ToolRegistry(List.of()));

    /** One simulated session; each action is interpreted against its state (invalid ones do nothing). */
    private final class Session {
        final UUID id = UUID.randomUUID();
        final List<Event> log = new ArrayList<>();
        final Deque<long[]> queuedInputs = new ArrayDeque<>();
        final Deque<UUID> queuedRuns = new ArrayDeque<>();
        UUID run;
        long runInput;
        final Set<String> open = new LinkedHashSet<>();
        int calls;
        final int budget;

        Session(int budget) {
            this.budget = budget;
        }

        void act(int action) {
            switch (action) {
                case 0 -> input();
                case 1 -> askTools(1);
                case 2 -> askTools(2);
                case 3 -> answerOne();
                case 4 -> finalAnswer();
                case 5 -> endWithCallsOpen(true);
                case 6 -> endWithCallsOpen(false);
                case 7 -> handoff();
                default -> compactionFoldsAPrefix(action);
            }
        }

        void input() {
            UUID next = UUID.randomUUID();
            long seq = append(next, EventType.USER_MESSAGE, DocumentJson.object().put("text", "input " + log.size() + " words".repeat(log.size() % 7 * 5)));
            queuedRuns.add(next);
            queuedInputs.add(new long[] {seq});
            if (run == null) {
                startNext();
            }
        }

        void startNext() {
            run = queuedRuns.poll();
            long[] input = queuedInputs.poll();
            runInput = input == null ? 0 : input[0];
            open.clear();
        }

        void askTools(int count) {
            if (run == null || !open.isEmpty()) {
                return;
            }
            modelCallIsValid();
            ObjectNode data = DocumentJson.object();
            data.putNull("text");
            var array = data.putArray("toolCalls");
            for (int i = 0; i < count; i++) {
                String callId = "call_" + (++calls);
                array.addObject().put("id", callId).put("name", "lookup").put("arguments", "{}");
                open.add(callId);
            }
            append(run, EventType.ASSISTANT_MESSAGE, data);
        }

        void answerOne() {
            if (run == null || open.isEmpty()) {
                return;
            }
            String callId = open.iterator().next();
            open.remove(callId);
            append(run, EventType.TOOL_RESULT, DocumentJson.object().put("callId", callId).put("output", "ok " + callId + " data".repeat(calls % 5 * 20)));
        }

        void finalAnswer() {
            if (run == null || !open.isEmpty()) {
                return;
            }
            modelCallIsValid();
            append(run, EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", "answer " + log.size()));
            end();
        }

        /** Cancel, interrupt or timeout with calls open: the engine commits their results; SQL cancels do not. */
        void endWithCallsOpen(boolean resultsCommitted) {
            if (run == null) {
                return;
            }
            if (resultsCommitted) {
                for (String callId : open) {
                    append(run, EventType.TOOL_RESULT, DocumentJson.object().put("callId", callId).put("output", "cancelled"));
                }
            }
            append(run, EventType.RUN_CANCELLED, DocumentJson.object());
            end();
        }

        void handoff() {
            if (run != null && open.isEmpty()) {
                append(run, EventType.HANDOFF, DocumentJson.object().put("to", "other"));
            }
        }

        void end() {
            run = null;
            if (!queuedRuns.isEmpty()) {
                startNext();
            }
        }

        long append(UUID runId, String type, ObjectNode data) {
            long seq = log.size() + 1;
            log.add(new Event(id, seq, runId, type, data, Instant.EPOCH));
            return seq;
        }

        StepContext context() {
            return new StepContext(null, log, List.of(), List.of())
                    .filter(event -> RunExecution.visibleTo(run, runInput, event));
        }

        void modelCallIsValid() {
            ObjectNode body = ChatEncoder.encode(assembler.assemble(agent(budget), context()).request(), DEPLOYMENT,
                    false);
            Violation violation = ChatRequestRules.check(body);
            assertThat(violation).as("request %s\nfrom log %s", body, log).isNull();
        }

        void compactionFoldsAPrefix(int keep) {
            if (run == null) {
                return;
            }
            StepContext context = context();
            List<Event> fold = assembler.toFold(agent(budget), context, keep * 10);
            if (fold.isEmpty()) {
                return;
            }
            long through = fold.getLast().seq();
            // Every text (input or answer) the summary reaches past is folded into it. (Events that are no message,
            // such as run.cancelled, and tool exchanges from before a handoff, which the context never shows, are
            // not folded: the summary simply reaches past them.)
            List<Long> texts = context.window().stream().filter(ToolExchangePropertyTest::text)
                    .map(Event::seq).filter(seq -> seq <= through).toList();
            assertThat(fold).extracting(Event::seq).as("fold of %s", log).containsAll(texts);
            assertThat(fold).isSortedAccordingTo(Comparator.comparingLong(Event::seq));
        }
    }

    @Property
    void everyRequestOfEveryInterleavingIsValid(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 12) Integer> actions,
            @ForAll @IntRange(min = 256, max = 1500) int budget) {
        Session session = new Session(budget);
        actions.forEach(session::act);
        // and the next run, if any, can make its first call
        if (session.run != null && session.open.isEmpty()) {
            session.modelCallIsValid();
        }
    }

    private static boolean text(Event event) {
        return EventType.USER_MESSAGE.equals(event.type())
                || EventType.ASSISTANT_MESSAGE.equals(event.type()) && event.data().path("text").isTextual();
    }

    private static AgentDefinition agent(int budget) {
        AgentSpec spec = new AgentSpec("Be brief.", "gpt-4o", List.of(), null, null, List.of(), List.of(), List.of(),
                List.of(), new MemoryPolicy(budget, 0, null, null, null, null));
        return new AgentDefinition(new TenantId(UUID.randomUUID()), "a", 1, spec, Instant.now());
    }
}
