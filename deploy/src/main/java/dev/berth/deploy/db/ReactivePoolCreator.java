package dev.berth.deploy.db;

import dev.berth.store.DatabaseRouting;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Creates the reactive pool, leaving out of the connection's startup packet what a transaction
 * pooler refuses. The Vert.x client asks for {@code extra_float_digits=2} at every connect, and
 * PgBouncer answers "unsupported startup parameter: extra_float_digits" unless its
 * {@code ignore_startup_parameters} lists it, which Azure Database for PostgreSQL Flexible
 * Server's built-in PgBouncer does not by default. PostgreSQL 12 and later already print floats
 * exactly without it. Without a pooler the options are left as Quarkus made them.
 */
@ApplicationScoped
public class ReactivePoolCreator implements PgPoolCreator {
    /** Startup parameters a transaction pooler refuses (PgBouncer accepts only those it tracks). */
    static final String EXTRA_FLOAT_DIGITS = "extra_float_digits";

    private final DatabaseRouting routing;

    @Inject
    public ReactivePoolCreator(DatabaseRouting routing) {
        this.routing = routing;
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus's recorder expects a PgPool (it casts the result)
    public Pool create(Input input) {
        if (!routing.serverSidePreparedStatements()) {
            input.pgConnectOptionsList().forEach(ReactivePoolCreator::forPooler);
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }

    static void forPooler(PgConnectOptions options) {
        options.getProperties().remove(EXTRA_FLOAT_DIGITS);
    }
}
