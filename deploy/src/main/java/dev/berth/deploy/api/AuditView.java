package dev.berth.deploy.api;

import java.time.Instant;

/**
 * One row of the audit trail: who ({@code principal}: {@code key:<id>}, {@code platform:<id>} or
 * {@code ip:<address>}) did {@code action} to {@code target}, in which request, with which
 * outcome; {@code digest} is the hex SHA-256 of the change (the canonical request body).
 */
public record AuditView(long id, Instant at, String tenant, String principal, String action, Target target,
        String requestId, String outcome, String digest) {

    /** What the action was done to. */
    public record Target(String type, String id) {
    }
}
