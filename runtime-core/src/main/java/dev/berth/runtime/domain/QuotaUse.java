package dev.berth.runtime.domain;

/**
 * One quota of a tenant: the limit in force, what the tenant holds, and the admin's override
 * (null: the configured default is in force).
 */
public record QuotaUse(Quota quota, long limit, long used, Long override) {
}
