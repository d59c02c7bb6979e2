package dev.berth.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgWireParserTest {

    private static byte[] startup() {
        byte[] params = "user\0postgres\0database\0berth\0\0".getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }

    private static byte[] sslRequest() {
        return ByteBuffer.allocate(8).putInt(8).putInt(80877103).array();
    }

    private static byte[] message(char type, String... cstrings) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String s : cstrings) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(5 + b.length).put((byte) type).putInt(4 + b.length).put(b).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void reportsSimpleQueriesAndEachExecuteOfAPreparedStatement() {
        List<String> seen = new ArrayList<>();
        PgWireParser parser = new PgWireParser(seen::add);
        byte[] stream = concat(sslRequest(), startup(), message('Q', "BEGIN"),
                message('P', "s1", "insert into events values ($1)"), message('B', "", "s1"), message('E', ""),
                message('S'), message('B', "", "s1"), message('E', ""), message('S'), message('Q', "COMMIT"));

        parser.feed(stream, 0, stream.length);

        assertThat(seen).containsExactly("BEGIN", "insert into events values ($1)",
                "insert into events values ($1)", "COMMIT");
    }

    @Test
    void messagesSplitAcrossReadsAreReassembled() {
        List<String> seen = new ArrayList<>();
        PgWireParser parser = new PgWireParser(seen::add);
        byte[] stream = concat(startup(), message('P', "", "select 1"), message('B', "", ""), message('E', ""),
                message('S'));

        for (int i = 0; i < stream.length; i++) {
            parser.feed(stream, i, 1); // one byte at a time: the worst split there is
        }

        assertThat(seen).containsExactly("select 1");
        assertThat(parser.disabled()).isFalse();
    }

    @Test
    void aStreamThatIsNotTheProtocolTurnsTheParserOff() {
        List<String> seen = new ArrayList<>();
        PgWireParser parser = new PgWireParser(seen::add);
        byte[] garbage = {0x16, 0x03, 0x01, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};

        parser.feed(garbage, 0, garbage.length);

        assertThat(parser.disabled()).isTrue();
        assertThat(seen).isEmpty();
    }

    @Test
    void theTallyCountsExplicitAndImplicitTransactionsAndWhichOnesWrote() {
        StatementTally tally = new StatementTally();
        StatementTally.Connection c = tally.connection();
        StatementTally.Snapshot before = tally.snapshot();

        c.executed("BEGIN");
        c.executed("insert into events values (1)");
        c.executed("update runs set step = 1");
        c.executed("COMMIT");
        c.executed("select * from events");
        c.executed("with x as (select 1) update runs set step = 2");
        StatementTally.Snapshot delta = tally.snapshot().minus(before);

        assertThat(delta.statements()).isEqualTo(6);
        assertThat(delta.sqlStatements()).isEqualTo(4);
        assertThat(delta.transactions()).isEqualTo(3);
        assertThat(delta.writeTransactions()).isEqualTo(2);
        assertThat(delta.byText()).containsEntry("BEGIN", 1L).containsEntry("select * from events", 1L);
    }

    @Test
    void aLongCteIsAWriteWhenItModifiesRowsAndNotWhenItOnlyLocksThem() {
        String padding = "x, ".repeat(100);
        String claim = "with candidate as ( select " + padding + "r.id from runs r for update of r skip locked)"
                + "update runs r set status = 'running' from candidate c where r.id = c.id";
        String lockOnly = "with candidate as ( select r.id from runs r for no key update skip locked) select * from candidate";

        assertThat(StatementTally.normalise(claim)).doesNotContain("update runs r set");
        assertThat(StatementTally.isWrite(claim, "with")).isTrue();
        assertThat(StatementTally.isWrite(lockOnly, "with")).isFalse();
        assertThat(StatementTally.isWrite("with a as (insert into events values (1)) select 1", "with")).isTrue();
        assertThat(StatementTally.isWrite("select * from runs for update", "select")).isFalse();
    }
}
