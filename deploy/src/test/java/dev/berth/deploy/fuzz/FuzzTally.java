package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.fuzz.FuzzCases.FuzzCase;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Counts the answers of a fuzz run and groups what went wrong compactly: one line per
 * (route, input kind, status, failure), with how often and one example of the input.
 */
public final class FuzzTally {
    /** A request line ending in an HTTP version other than 1.0 and 1.1. */
    private static final Pattern UNKNOWN_VERSION = Pattern.compile(" HTTP/(?!1\\.[01]$)\\d+\\.\\d+$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why an answer is wrong. */
    public enum Failure {
        SERVER_ERROR("5xx"),
        NOT_PROBLEM_JSON("not problem+json"),
        PROBLEM_WITHOUT_TYPE("problem without type"),
        ACCEPTED("bad input accepted"),
        UNEXPECTED_STATUS("unexpected status"),
        NO_ANSWER("no answer"),
        TIMED_OUT("timed out");

        final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    private record Group(String route, String kind, int status, Failure failure) implements Comparable<Group> {
        @Override
        public int compareTo(Group other) {
            return toString().compareTo(other.toString());
        }
    }

    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Map<String, Map<Integer, Integer>> byKind = new TreeMap<>();
    private final Map<Group, Integer> failures = new TreeMap<>();
    private final Map<Group, String> examples = new TreeMap<>();
    private final Set<Route> publicRoutes;
    private int requests;
    private int unanswered;

    /** {@code publicRoutes}: reading routes that answer without a key, where a bad key may be answered too. */
    public FuzzTally(Set<Route> publicRoutes) {
        this.publicRoutes = Set.copyOf(publicRoutes);
    }

    /** Judges one answer; returns the failure, or null when the answer is acceptable. */
    public Failure record(FuzzCase fuzz, RawAnswer answer) {
        requests++;
        byStatus.merge(answer.status(), 1, Integer::sum);
        byKind.computeIfAbsent(fuzz.kind().label(), k -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
        Failure failure = judge(fuzz, answer);
        if (failure == Failure.NO_ANSWER && fuzz.kind().mayGoUnanswered()) {
            unanswered++;
            failure = null;
        }
        if (failure != null) {
            Group group = new Group(fuzz.route().toString(), fuzz.kind().label(), answer.status(), failure);
            failures.merge(group, 1, Integer::sum);
            examples.putIfAbsent(group, fuzz.note());
        }
        return failure;
    }

    private Failure judge(FuzzCase fuzz, RawAnswer answer) {
        int status = answer.status();
        if (status == 0) {
            return answer.timedOut() ? Failure.TIMED_OUT : Failure.NO_ANSWER;
        }
        if (status >= 500 && !protocolRefusal(fuzz, status)) {
            return Failure.SERVER_ERROR;
        }
        if (status >= 400) {
            if (bareVersionRefusal(fuzz, answer)) {
                return null;
            }
            if (!answer.isProblem()) {
                return Failure.NOT_PROBLEM_JSON;
            }
            return problemType(answer).isEmpty() ? Failure.PROBLEM_WITHOUT_TYPE : null;
        }
        if (status >= 200 && status < 300) {
            return mayBeAnswered(fuzz) ? null : Failure.ACCEPTED;
        }
        return Failure.UNEXPECTED_STATUS;
    }

    /**
     * A request line with a method or HTTP version the server does not implement is answered 501
     * or 505, as RFC 9110 (15.6.2, 15.6.6) says; that is a refusal, not a fault, so it is judged
     * like a 4xx (problem+json with a type). Only for broken framing: a route's own 5xx is a fault.
     */
    private static boolean protocolRefusal(FuzzCase fuzz, int status) {
        return fuzz.kind() == InputKind.FRAMING && (status == 501 || status == 505);
    }

    /**
     * The one answer that is not problem+json, documented in docs/security.md: Vert.x answers a
     * request line with an HTTP version it has no name for ({@code HTTP/9.9}) with an empty 501
     * before any handler an application can install sees the request.
     */
    private static boolean bareVersionRefusal(FuzzCase fuzz, RawAnswer answer) {
        return fuzz.kind() == InputKind.FRAMING && answer.status() == 501 && answer.text().isEmpty()
                && fuzz.request().head() != null && UNKNOWN_VERSION.matcher(requestLine(fuzz.request().head())).find();
    }

    private static String requestLine(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    /**
     * A 2xx is right for a reading method, and for a DELETE of something unknown (deleting what is
     * not there is done: erasing an unknown actor erases nothing); the snapshot still proves nothing
     * was written. A bad key, or a spoiled body, must always be refused.
     */
    private boolean mayBeAnswered(FuzzCase fuzz) {
        InputKind kind = fuzz.kind();
        if (kind == InputKind.AUTH) {
            return publicRoutes.contains(fuzz.route());
        }
        if (kind == InputKind.WRONG_METHOD) {
            return false;
        }
        return fuzz.route().safe() || fuzz.route().method().equals("DELETE") && kind.sparesTheBody();
    }

    static String problemType(RawAnswer answer) {
        try {
            JsonNode problem = JSON.readTree(answer.body());
            return problem == null ? "" : problem.path("type").asText("");
        } catch (Exception notJson) {
            return "";
        }
    }

    public int requests() {
        return requests;
    }

    public int failureCount() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Answers with a 5xx status, protocol refusals (501, 505 to broken request lines) included. */
    public int serverErrors() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
    }

    /** The summary: requests, by status, by kind, 5xx count, then one line per failure group. */
    public String report(long seed, List<String> rowChanges) {
        List<String> lines = new ArrayList<>();
        lines.add("fuzz: seed " + seed + " (rerun with -Dberth.fuzz.seed=" + seed + ")");
        lines.add("fuzz: " + requests + " requests; by status " + byStatus + "; 5xx " + serverErrors()
                + "; unanswered (framing) " + unanswered + "; rows changed: "
                + (rowChanges.isEmpty() ? "none" : rowChanges));
        lines.add("fuzz: by input kind and status " + byKind);
        lines.add("fuzz: routes answered without a key: " + publicRoutes);
        lines.add("fuzz: " + failureCount() + " failing answers in " + failures.size() + " groups"
                + (failures.isEmpty() ? "" : " (route | input kind | status | failure | count | example):"));
        Map<String, int[]> byKindAndFailure = new TreeMap<>();
        failures.forEach((group, count) -> {
            int[] tally = byKindAndFailure.computeIfAbsent(group.kind() + " | " + group.status() + " | "
                    + group.failure().label, k -> new int[2]);
            tally[0] += count;
            tally[1]++;
        });
        byKindAndFailure.forEach((key, tally) -> lines.add(String.format("FUZZ-FAIL-SUMMARY %s | x%d on %d routes",
                key, tally[0], tally[1])));
        failures.forEach((group, count) -> lines.add(String.format("FUZZ-FAIL %s | %s | %d | %s | x%d | %s",
                group.route(), group.kind(), group.status(), group.failure().label, count, examples.get(group))));
        return String.join(System.lineSeparator(), lines);
    }
}
