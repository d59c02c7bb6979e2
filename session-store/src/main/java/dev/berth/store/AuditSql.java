package dev.berth.store;

/** The statements of the audit trail (V17, R__95_audit.sql). */
final class AuditSql {
    /** $1 tenant (may be null), $2 principal, $3 action, $4 target type, $5 target id, $6 request id, $7 outcome, $8 digest. */
    static final String INSERT = """
            insert into audit_log (tenant_id, principal, action, target_type, target_id, request_id, outcome, digest)
            values ($1, $2, $3, $4, $5, $6, $7, $8)""";

    /**
     * A tenant's rows newest first, before the cursor's id ($2, null for the first page); every
     * filter is skipped when null: $3 action, $4 principal, $5 target type, $6 target id, $7 from
     * (inclusive), $8 to (exclusive); $9 the page size plus one, to know whether another page follows.
     */
    static final String PAGE = """
            select id, at, tenant_id, principal, action, target_type, target_id, request_id, outcome, digest
              from audit_log
             where tenant_id = $1
               and ($2::bigint is null or id < $2)
               and ($3::text is null or action = $3)
               and ($4::text is null or principal = $4)
               and ($5::text is null or target_type = $5)
               and ($6::text is null or target_id = $6)
               and ($7::timestamptz is null or at >= $7)
               and ($8::timestamptz is null or at < $8)
             order by id desc
             limit $9""";

    static final String EXPIRE = "select berth_audit_expire($1) as removed";

    private AuditSql() {
    }
}
