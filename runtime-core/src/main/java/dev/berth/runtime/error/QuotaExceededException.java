package dev.berth.runtime.error;

import dev.berth.runtime.domain.Quota;

/**
 * A creation would take the tenant over one of its quotas (ADR 0031); nothing was written.
 * {@code used} is what the tenant held before the refused request.
 */
public final class QuotaExceededException extends BerthException {
    private final Quota quota;
    private final long limit;
    private final long used;

    public QuotaExceededException(Quota quota, long limit, long used) {
        super("quota-exceeded", "this tenant's quota '" + quota.wire() + "' is " + limit + " and it holds " + used
                + "; delete some, or ask an admin to raise the quota (PUT /v1/quotas)", null);
        this.quota = quota;
        this.limit = limit;
        this.used = used;
    }

    public Quota quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }
}
