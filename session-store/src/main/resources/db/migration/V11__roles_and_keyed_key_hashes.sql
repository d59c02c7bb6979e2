-- Roles, expiring keys, keyed key hashes and sessions bound to who opened them (issue 16, ADR 0028).

-- What a key may do. Keys of before this migration had only an admin flag: admin keys become
-- {admin}; the others become {service}, the role nearest to what they could do before (open
-- sessions, send input, answer actions, memories) -- they lose agent definitions and erasure,
-- which an admin now grants explicitly (developer, admin).
alter table api_keys add column roles text[];
update api_keys set roles = case when admin then array['admin'] else array['service'] end;
alter table api_keys alter column roles set not null;
alter table api_keys add constraint api_keys_roles_known check (
    cardinality(roles) between 1 and 5
    and roles <@ array['admin', 'developer', 'operator', 'service', 'actor']);

-- An actor key stands for one end user; only an actor key names one.
alter table api_keys add column actor_id text;
alter table api_keys add constraint api_keys_actor_bound check (('actor' = any (roles)) = (actor_id is not null));

-- A key past its expiry fails authentication (null: never expires).
alter table api_keys add column expires_at timestamptz;

-- How key_hash was computed: 'hmac-sha256' with the server secret (berth.auth.key-secret), or the
-- plain 'sha256' of the rows of before; those are rehashed on their first use.
alter table api_keys add column hash_kind text not null default 'sha256'
    check (hash_kind in ('sha256', 'hmac-sha256'));
alter table api_keys alter column hash_kind set default 'hmac-sha256';

-- key_prefix held the key's first characters: shown in listings, they were part of the secret.
-- It now shows characters of the key's id instead (the key itself is never shown again).
update api_keys set key_prefix = 'brt_' || left(replace(id::text, '-', ''), 8);

-- For the paged listing, and for the last-admin check of a revocation.
create index api_keys_listing on api_keys (tenant_id, created_at, id);

-- When berth.auth.key-secret is not configured, the secret generated at first start (ADR 0028).
create table server_secrets (
    name        text primary key,
    secret      bytea not null,
    created_at  timestamptz not null default now()
);

-- Who opened a session ('key:<uuid>'; an OIDC subject later). Null for sessions of before, and for
-- the child sessions of a team, opened by the engine.
alter table sessions add column opened_by text;
