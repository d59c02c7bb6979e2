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
    void checkRuns(Connection sql, Set<String> acknowledged) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        Map<UUID, Integer> modelCalls = new HashMap<>();
        try (ResultSet rows = sql.createStatement().executeQuery("select id, status, model_calls from runs")) {
            while (rows.next()) {
                status.put(rows.getObject(1, UUID.class), rows.getString(2));
                modelCalls.put(rows.getObject(1, UUID.class), rows.getInt(3));
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
                checkSteps(run.getKey(), modelCalls.get(run.getKey()), byRun.getOrDefault(run.getKey(), List.of()));
            } else if (!acknowledged.contains(run.getKey().toString())) {
                problems.add("unacknowledged run " + run.getKey() + " is " + run.getValue());
            }
        }
    }

    /**
     * A completed run has its input first, one answer per committed model call (the last one
     * final), and exactly one result for each tool call its answers asked for.
     */
    private void checkSteps(UUID run, int modelCalls, List<StoredEvent> steps) {
        List<String> types = steps.stream().map(StoredEvent::type).toList();
        int inputs = (int) types.stream().filter("user.message"::equals).count();
        List<StoredEvent> answers = steps.stream().filter(e -> "assistant.message".equals(e.type())).toList();
        Map<String, Integer> results = new HashMap<>();
        steps.stream().filter(e -> "tool.result".equals(e.type()))
                .forEach(e -> results.merge(e.data().path("callId").asText(), 1, Integer::sum));
        Set<String> asked = new HashSet<>();
        answers.forEach(a -> a.data().path("toolCalls").forEach(call -> asked.add(call.path("id").asText())));
        int lost = Math.max(0, 1 - inputs) + Math.max(0, modelCalls - answers.size());
        int extra = Math.max(0, inputs - 1) + Math.max(0, answers.size() - modelCalls);
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
            problems.add("run " + run + " (" + modelCalls + " model calls) has events " + types);
        }
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
