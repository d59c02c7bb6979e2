package dev.berth.store;

/** The SQL of {@link PgAccessStore}: tenants, keys, and the secret their hashes are keyed with. */
final class AccessSql {
    private AccessSql() {
    }

    static final String KEY_COLUMNS = "k.id, k.tenant_id, k.name, k.key_prefix, k.roles, k.actor_id, k.created_at,"
            + " k.expires_at, k.revoked_at";

    /**
     * A live key by its keyed hash ($1), or an older row by its plain SHA-256 ($2), which only a
     * row still marked 'sha256' may match: after its rehash, the plain hash finds nothing.
     */
    static final String AUTHENTICATE = """
            select k.id, k.tenant_id, k.roles, k.actor_id, k.expires_at, k.hash_kind, t.operator
              from api_keys k join tenants t on t.id = k.tenant_id
             where (k.key_hash = $1 or (k.key_hash = $2 and k.hash_kind = 'sha256'))
               and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())""";

    static final String TENANT_OPERATOR = "select operator from tenants where id = $1";

    static final String REHASH = """
            update api_keys set key_hash = $2, hash_kind = 'hmac-sha256' where id = $1 and hash_kind = 'sha256'""";

    /**
     * A new key. Its listed prefix is made of its id's characters (as V11 made it for older rows),
     * never of the key; the admin column of V1 follows the roles, for any reader of before.
     */
    static final String INSERT_KEY = """
            insert into api_keys as k (id, tenant_id, name, key_hash, key_prefix, admin, roles, actor_id, expires_at,
                                       hash_kind)
            values ($1, $2, $3, $4, 'brt_' || left(replace($1::uuid::text, '-', ''), 8), 'admin' = any ($5::text[]),
                    $5::text[], $6, $7, 'hmac-sha256')
            returning\s""" + KEY_COLUMNS;

    /** A page of keys, oldest first; $2/$3 the last key of the page before (null: the first page). */
    static final String LIST_KEYS = "select " + KEY_COLUMNS + " from api_keys k where k.tenant_id = $1"
            + " and ($2::timestamptz is null or (k.created_at, k.id) > ($2, $3)) order by k.created_at, k.id limit $4";

    /**
     * Revokes key $1 of tenant $2 unless it is the tenant's last usable admin key, in one statement.
     * The tenant's live admin rows are locked first (in id order): of two revocations racing for the
     * last two admin keys, the second waits for the first, finds the first's key revoked when it
     * re-reads the locked rows, and so refuses. {@code found}: the key is live (an admin key already
     * revoked by a racing request drops out of {@code admins}, and so is not found).
     */
    static final String REVOKE = """
            with admins as (
                select id, (expires_at is null or expires_at > now()) as usable
                  from api_keys
                 where tenant_id = $2 and revoked_at is null and 'admin' = any (roles)
                 order by id for update),
            target as (
                select id, 'admin' = any (roles) as admin
                  from api_keys where id = $1 and tenant_id = $2 and revoked_at is null),
            revoked as (
                update api_keys k set revoked_at = now()
                  from target t
                 where k.id = t.id and k.revoked_at is null
                   and (not t.admin or exists (select 1 from admins a where a.id <> t.id and a.usable))
                returning k.id)
            select exists (select 1 from revoked) as revoked,
                   exists (select 1 from target t where not t.admin or t.id in (select id from admins)) as found""";

    static final String SECRET = "select secret from server_secrets where name = $1";

    static final String KEEP_SECRET = "insert into server_secrets (name, secret) values ($1, $2) on conflict (name) do nothing";
}
