-- Idempotency keys (issue 15, ADR 0024): one row per key a client sent with a creating request,
-- written in the same transaction as the request's effect, so a retry after a crash between the
-- commit and the answer still finds it. Keys are per tenant; a row names the resource the request
-- created (its id as text), from which a retry's answer is rendered again.
create table idempotency_keys (
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    key         text        not null check (length(key) between 1 and 255),
    -- SHA-256 (hex) of what the request was: method, route, path and query values that matter, body.
    fingerprint text        not null,
    -- What the request created: 'run', 'session', 'agent-version', 'memory', 'memory-block',
    -- 'api-key', 'tenant', 'answers'; and its id (null only inside the creating transaction).
    kind        text        not null,
    resource    text,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    primary key (tenant_id, key)
);

-- For the sweeper, which deletes rows past their expiry.
create index idempotency_keys_expiry on idempotency_keys (expires_at);
