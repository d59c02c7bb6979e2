package dev.berth.deploy;

import static io.restassured.RestAssured.given;

import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PostgresDatabase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;

/**
 * What the tests that start Berth as real processes stand on: a fresh database and a fake
 * model server over HTTP, started once per test class and closed after it.
 */
public final class ProcessBacking implements AutoCloseable {
    private final PostgresDatabase database;
    private final Vertx vertx;
    private final FakeModelServer fake;

    private ProcessBacking() {
        database = PostgresDatabase.create();
        vertx = Vertx.vertx();
        fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
    }

    public static ProcessBacking start() {
        return new ProcessBacking();
    }

    public PostgresDatabase database() {
        return database;
    }

    public FakeModelServer fake() {
        return fake;
    }

    /** A Berth process (not started yet) on this database and model. */
    public BerthProcess berth(String name, Map<String, String> env) {
        return BerthProcess.create(name, database.url(), fake.openAiBaseUrl(), env);
    }

    /** A request to the process's API with the admin key. */
    public static RequestSpecification api(BerthProcess berth) {
        return given().baseUri(berth.baseUrl())
                .header("Authorization", "Bearer " + BerthProcess.ADMIN_KEY)
                .contentType(ContentType.JSON);
    }

    @Override
    public void close() {
        fake.close();
        vertx.closeAndAwait();
        database.close();
    }
}
