package dev.berth.deploy.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads what the recovery suite left in PostgreSQL and checks it the way a client would judge
 * it: every acknowledged input has one completed run; every session's log is gapless and
 * ordered; every run's steps are there exactly once; each tool call kept its idempotency key.
 *
 * <p>Lost and duplicated steps are judged against evidence Berth does not write: the
 * requests the fake model received ({@link ModelRequests}) and the shape of the workload's
 * agent (one answer asking for the tool, one final answer, per input), never against a
 * counter kept by the statement that commits the events.
 */
final class Audit {
    /** One committed event, as stored. */
    record StoredEvent(UUID session, long seq, UUID run, String type, JsonNode data, Instant at) {
    }

    final List<String> problems = new ArrayList<>();
    int runsCompleted;
    int runsNotCompleted;
    int eventsLost;
    int duplicates;
    int toolCalls;
    int reExecutedToolCalls;
    int repeatedModelCalls;
    int sessionsChecked;
    final List<StoredEvent> events = new ArrayList<>();
    private final Map<UUID, List<StoredEvent>> byRun = new HashMap<>();

    Audit(Connection sql) throws Exception {
        try (ResultSet rows = sql.createStatement().executeQuery(
                "select session_id, seq, run_id, type, payload::text, created_at from events order by session_id, seq")) {
            while (rows.next()) {
                StoredEvent event = new StoredEvent(rows.getObject(1, UUID.class), rows.getLong(2),
                        rows.getObject(3, UUID.class), rows.getString(4), BerthClient.JSON.readTree(rows.getString(5)),
                        rows.getTimestamp(6).toInstant());
                events.add(event);
                if (event.run() != null) {
                    byRun.computeIfAbsent(event.run(), k -> new ArrayList<>()).add(event);
                }
            }
        }
    }

    /** Every acknowledged input has exactly one run, completed, with every step exactly once. */
    void checkRuns(Connection sql, Set<String> acknowledged, ModelRequests model) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        try (ResultSet rows = sql.createStatement().executeQuery("select id, status from runs")) {
            while (rows.next()) {
                status.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        }
        for (String id : acknowledged) {
            UUID run = UUID.fromString(id);
            if (!"completed".equals(status.get(run))) {
                runsNotCompleted++;
                problems.add("acknowledged run " + run + " is " + status.get(run));
            }
        }
        for (Map.Entry<UUID, String> run : status.entrySet()) {
            if ("completed".equals(run.getValue())) {
                runsCompleted++;
                checkSteps(run.getKey(), model, byRun.getOrDefault(run.getKey(), List.of()));
            } else if (!acknowledged.contains(run.getKey().toString())) {
                problems.add("unacknowledged run " + run.getKey() + " is " + run.getValue());
            }
        }
    }

    /**
     * A completed run has its input first, then exactly one answer asking for the tool and one
     * final answer (the workload's agent answers every input so), each produced by a model
     * request the fake received for that input at that point of the turn, and exactly one
     * result for each tool call its answers asked for. Model requests beyond the committed
     * answers are calls made again after a fault cut a step short; they are counted, not errors.
     */
    private void checkSteps(UUID run, ModelRequests model, List<StoredEvent> steps) {
        List<String> types = steps.stream().map(StoredEvent::type).toList();
        int inputs = (int) types.stream().filter("user.message"::equals).count();
        List<StoredEvent> answers = steps.stream().filter(e -> "assistant.message".equals(e.type())).toList();
        String input = steps.isEmpty() ? "" : steps.getFirst().data().path("text").asText();
        long asking = answers.stream().filter(a -> !a.data().path("toolCalls").isEmpty()).count();
        long finals = answers.size() - asking;
        int askedOfModel = model.beforeTools(input);
        int finalsAskedOfModel = model.afterTools(input);
        Map<String, Integer> results = new HashMap<>();
        steps.stream().filter(e -> "tool.result".equals(e.type()))
                .forEach(e -> results.merge(e.data().path("callId").asText(), 1, Integer::sum));
        Set<String> asked = new HashSet<>();
        answers.forEach(a -> a.data().path("toolCalls").forEach(call -> asked.add(call.path("id").asText())));
        int lost = Math.max(0, 1 - inputs) + (asking < 1 ? 1 : 0) + (finals < 1 ? 1 : 0);
        // An answer beyond one of its kind, or without a model request to have produced it, is a duplicate.
        int extra = Math.max(0, inputs - 1) + (int) Math.max(0, asking - Math.min(1, askedOfModel))
                + (int) Math.max(0, finals - Math.min(1, finalsAskedOfModel));
        repeatedModelCalls += Math.max(0, askedOfModel - 1) + Math.max(0, finalsAskedOfModel - 1);
        for (String call : asked) {
            int count = results.getOrDefault(call, 0);
            lost += count == 0 ? 1 : 0;
            extra += Math.max(0, count - 1);
        }
        extra += (int) results.keySet().stream().filter(call -> !asked.contains(call)).count();
        boolean ordered = !types.isEmpty() && "user.message".equals(types.getFirst()) && !answers.isEmpty()
                && answers.getLast() == steps.getLast() && answers.getLast().data().path("final").asBoolean();
        if (lost > 0 || extra > 0 || !ordered) {
            eventsLost += lost;
            duplicates += extra;
            problems.add("run " + run + " (model asked " + askedOfModel + " + " + finalsAskedOfModel
                    + " times for its input '" + input + "') has events " + types);
        }
    }

    /**
     * Per session, each input text once (a client that resends marks the text "(again)", so
     * equal texts are one input stored twice), and two answers per input.
     */
    void checkSessionDuplicates() {
        Map<UUID, Map<String, Integer>> inputs = new HashMap<>();
        Map<UUID, int[]> answers = new HashMap<>();
        for (StoredEvent event : events) {
            if ("user.message".equals(event.type())) {
                inputs.computeIfAbsent(event.session(), k -> new HashMap<>())
                        .merge(event.data().path("text").asText(), 1, Integer::sum);
            } else if ("assistant.message".equals(event.type())) {
                answers.computeIfAbsent(event.session(), k -> new int[1])[0]++;
            }
        }
        inputs.forEach((session, texts) -> {
            texts.forEach((text, count) -> {
                if (count > 1) {
                    duplicates += count - 1;
                    problems.add("session " + session + " holds input '" + text + "' " + count + " times");
                }
            });
            int stored = texts.values().stream().mapToInt(Integer::intValue).sum();
            int answered = answers.getOrDefault(session, new int[1])[0];
            if (answered != 2 * stored) {
                problems.add("session " + session + " has " + answered + " answers to " + stored + " inputs");
            }
        });
    }

    /** Each session's sequence is 1..n without gaps, and agrees with the session's last_seq. */
    void checkSequences(Connection sql) throws SQLException {
        Map<UUID, Long> lastSeq = new HashMap<>();
        try (ResultSet rows = sql.createStatement().executeQuery("select id, last_seq from sessions")) {
            while (rows.next()) {
                lastSeq.put(rows.getObject(1, UUID.class), rows.getLong(2));
            }
        }
        Map<UUID, Long> expectedNext = new HashMap<>();
        for (StoredEvent event : events) {
            long want = expectedNext.getOrDefault(event.session(), 1L);
            if (event.seq() != want) {
                problems.add("session " + event.session() + " has seq " + event.seq() + " where " + want + " was due");
                eventsLost += (int) Math.max(0, event.seq() - want);
                duplicates += event.seq() < want ? 1 : 0;
            }
            expectedNext.put(event.session(), event.seq() + 1);
        }
        lastSeq.forEach((session, last) -> {
            if (expectedNext.getOrDefault(session, 1L) - 1 != last) {
                problems.add("session " + session + " says last_seq " + last + " but its log ends at "
                        + (expectedNext.getOrDefault(session, 1L) - 1));
            }
        });
        sessionsChecked = lastSeq.size();
    }

    /**
     * Every start of a tool call was recorded with the key {@code runId:callId}; attempts count
     * 1, 2, ...; the committed result carries the same key and the last attempt.
     */
    void checkToolCalls(Connection sql) throws SQLException {
        Map<String, List<int[]>> attempts = new HashMap<>();
        Set<String> badKeys = new HashSet<>();
        try (ResultSet rows = sql.createStatement().executeQuery(
                "select run_id, call_id, attempt, idempotency_key from tool_calls order by run_id, call_id, attempt")) {
            while (rows.next()) {
                String call = rows.getString(1) + ":" + rows.getString(2);
                attempts.computeIfAbsent(call, k -> new ArrayList<>()).add(new int[] {rows.getInt(3)});
                if (!call.equals(rows.getString(4))) {
                    badKeys.add(call);
                }
            }
        }
        badKeys.forEach(call -> problems.add("tool call " + call + " was given another idempotency key"));
        for (StoredEvent event : events) {
            if (!"tool.result".equals(event.type())) {
                continue;
            }
            toolCalls++;
            String call = event.run() + ":" + event.data().path("callId").asText();
            List<int[]> started = attempts.getOrDefault(call, List.of());
            int lastAttempt = started.isEmpty() ? 0 : started.getLast()[0];
            for (int i = 0; i < started.size(); i++) {
                if (started.get(i)[0] != i + 1) {
                    problems.add("tool call " + call + " has attempts out of order");
                }
            }
            reExecutedToolCalls += Math.max(0, started.size() - 1);
            if (!call.equals(event.data().path("idempotencyKey").asText())
                    || event.data().path("attempt").asInt() != lastAttempt
                    || event.data().path("retry").asBoolean() != lastAttempt > 1) {
                problems.add("tool result " + call + " says key " + event.data().path("idempotencyKey").asText()
                        + ", attempt " + event.data().path("attempt").asInt() + "; starts recorded: " + lastAttempt);
            }
        }
    }

    /** Whether the run's final answer was committed before {@code at} (it needed no takeover). */
    private boolean finishedBefore(UUID run, Instant at) {
        List<StoredEvent> steps = byRun.getOrDefault(run, List.of());
        return !steps.isEmpty() && steps.getLast().data().path("final").asBoolean() && !steps.getLast().at().isAfter(at);
    }

    /** For each kill: the time until every run the victim owned committed a step under a new owner. */
    Duration resumeTime(Chaos.Kill kill) {
        Duration worst = Duration.ZERO;
        for (UUID run : kill.ownedRuns()) {
            Instant next = byRun.getOrDefault(run, List.of()).stream().map(StoredEvent::at)
                    .filter(at -> at.isAfter(kill.at())).min(Instant::compareTo).orElse(null);
            if (next == null && finishedBefore(run, kill.at())) {
                continue;
            }
            if (next == null) {
                problems.add("run " + run + " owned by killed " + kill.victim() + " never progressed");
                continue;
            }
            Duration took = Duration.between(kill.at(), next);
            worst = took.compareTo(worst) > 0 ? took : worst;
        }
        return worst;
    }
}
