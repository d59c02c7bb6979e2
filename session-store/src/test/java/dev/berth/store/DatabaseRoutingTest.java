package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which connection goes where, for each combination of pooler and direct URL (ADR 0026). */
class DatabaseRoutingTest {
    private static final String POOLED = "postgresql://db.example:6432/berth?sslmode=require";
    private static final String DIRECT = "postgresql://db.example:5432/berth?sslmode=require";

    @Test
    void withoutAPoolerEverythingUsesTheOneUrlAsBefore() {
        DatabaseRouting routing = DatabaseRouting.of(DIRECT, null, null);

        assertThat(routing.reactiveUrl()).isEqualTo(DIRECT);
        assertThat(routing.jdbcUrl()).isEqualTo("jdbc:" + DIRECT);
        assertThat(routing.listenUrl()).contains(DIRECT);
        assertThat(routing.serverSidePreparedStatements()).isTrue();
    }

    @Test
    void behindATransactionPoolerFlywayAndListenGoDirectAndNoStatementIsPrepared() {
        DatabaseRouting routing = DatabaseRouting.of(POOLED, DIRECT, "transaction");

        assertThat(routing.reactiveUrl()).isEqualTo(POOLED);
        assertThat(routing.jdbcUrl()).isEqualTo("jdbc:" + DIRECT + "&prepareThreshold=0");
        assertThat(routing.listenUrl()).contains(DIRECT);
        assertThat(routing.serverSidePreparedStatements()).isFalse();
    }

    @Test
    void behindATransactionPoolerWithoutADirectUrlNothingListensAndJdbcPreparesNothing() {
        DatabaseRouting routing = DatabaseRouting.of("postgresql://db:6432/berth", " ", "Transaction");

        assertThat(routing.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6432/berth?prepareThreshold=0");
        assertThat(routing.listenUrl()).isEmpty();
        assertThat(routing.serverSidePreparedStatements()).isFalse();
    }

    @Test
    void aDirectUrlWithoutAPoolerIsUsedForFlywayAndListen() {
        DatabaseRouting routing = DatabaseRouting.of(POOLED, DIRECT, "none");

        assertThat(routing.reactiveUrl()).isEqualTo(POOLED);
        assertThat(routing.jdbcUrl()).isEqualTo("jdbc:" + DIRECT);
        assertThat(routing.listenUrl()).contains(DIRECT);
        assertThat(routing.serverSidePreparedStatements()).isTrue();
    }

    @Test
    void anUnknownPoolerOrAMissingUrlIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> DatabaseRouting.of(DIRECT, null, "session"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("berth.db.pooler must be 'none' or 'transaction', not 'session'");
        assertThatThrownBy(() -> DatabaseRouting.of(" ", null, "none"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("berth.db.url is required");
    }
}
