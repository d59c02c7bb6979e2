package dev.berth.deploy.fuzz;

import dev.berth.deploy.fuzz.OpenApiRoutes.Route;

/**
 * The kinds of bad input the fuzz suite sends, and which routes each applies to. Every kind is
 * built so that the request must be refused (or, for reading methods, may at most be answered):
 * a request that spoils one part keeps the others either valid, or refused for a sure reason.
 */
public enum InputKind {
    MALFORMED_JSON(Needs.BODY, 3),
    TRAILING_CONTENT(Needs.BODY, 1),
    WRONG_TYPE(Needs.BODY, 3),
    UNKNOWN_FIELD(Needs.BODY, 1),
    NUL_CHAR(Needs.BODY, 2),
    RAW_CONTROL_CHAR(Needs.BODY, 1),
    LONE_SURROGATE(Needs.BODY, 2),
    INVALID_UTF8(Needs.BODY, 1),
    NUMBER_EXTREME(Needs.BODY, 3),
    DEEP_NESTING(Needs.BODY, 1),
    OVERSIZED(Needs.BODY, 1),
    CONTENT_TYPE(Needs.BODY, 2),
    CHUNKED(Needs.BODY, 1),
    PATH_ODD(Needs.PATH, 4),
    PATH_UNKNOWN(Needs.PATH, 1),
    QUERY_ODD(Needs.QUERY, 3),
    AUTH(Needs.NOTHING, 2),
    ODD_HEADERS(Needs.NOTHING, 2),
    FRAMING(Needs.NOTHING, 2),
    WRONG_METHOD(Needs.NOTHING, 1),
    UNKNOWN_ROUTE(Needs.NOTHING, 1);

    private enum Needs { BODY, PATH, QUERY, NOTHING }

    private final Needs needs;
    /** Relative share of the random requests after every (route, kind) pair has had one. */
    final int weight;

    InputKind(Needs needs, int weight) {
        this.needs = needs;
        this.weight = weight;
    }

    public boolean appliesTo(Route route) {
        return switch (needs) {
            case BODY -> route.hasBody();
            case PATH -> !route.in("path").isEmpty() && (this != PATH_UNKNOWN || !route.method().equals("PUT"));
            case QUERY -> !route.in("query").isEmpty();
            case NOTHING -> this != AUTH || route.path().startsWith("/v1/");
        };
    }

    /** Kinds whose request is broken at the HTTP level: the connection may close without an answer. */
    public boolean mayGoUnanswered() {
        return this == FRAMING;
    }

    /** Kinds that spoil the path, query, headers or framing and leave the body (if any) alone. */
    public boolean sparesTheBody() {
        return needs != Needs.BODY;
    }

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
