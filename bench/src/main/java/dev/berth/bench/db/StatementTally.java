package dev.berth.bench.db;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts statements and transactions seen on the wire, by normalised SQL text, across all
 * connections. Transactions: an explicit {@code BEGIN ... COMMIT} is one; a statement outside
 * one is its own implicit transaction. A write transaction contains an INSERT, UPDATE or DELETE.
 * Thread safe; each connection reports through its own {@link Connection}.
 */
public final class StatementTally {
    private final Map<String, LongAdder> byText = new ConcurrentHashMap<>();
    private final LongAdder statements = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder writeTransactions = new LongAdder();
    private final LongAdder explicitTransactions = new LongAdder();

    /** The state of one connection: whether it is inside an explicit transaction that wrote. */
    public final class Connection implements PgWireParser.Listener {
        private boolean inTransaction;
        private boolean wrote;

        @Override
        public void executed(String sql) {
            String text = normalise(sql);
            byText.computeIfAbsent(text, k -> new LongAdder()).increment();
            statements.increment();
            String verb = verb(text);
            boolean write = isWrite(sql, verb); // the whole text: the write may come after the truncation
            switch (verb) {
                case "begin", "start" -> {
                    inTransaction = true;
                    wrote = false;
                }
                case "commit", "rollback", "end", "abort" -> {
                    if (inTransaction) {
                        transactions.increment();
                        explicitTransactions.increment();
                        if (wrote) {
                            writeTransactions.increment();
                        }
                    }
                    inTransaction = false;
                }
                default -> {
                    if (inTransaction) {
                        wrote |= write;
                    } else {
                        transactions.increment();
                        if (write) {
                            writeTransactions.increment();
                        }
                    }
                }
            }
        }
    }

    public Connection connection() {
        return new Connection();
    }

    public Snapshot snapshot() {
        Map<String, Long> texts = new TreeMap<>();
        byText.forEach((k, v) -> texts.put(k, v.sum()));
        return new Snapshot(statements.sum(), transactions.sum(), writeTransactions.sum(), explicitTransactions.sum(),
                texts);
    }

    /** Counters at one moment; {@link #minus} gives what happened between two. */
    public record Snapshot(long statements, long transactions, long writeTransactions, long explicitTransactions,
            Map<String, Long> byText) {
        public Snapshot minus(Snapshot earlier) {
            Map<String, Long> texts = new TreeMap<>();
            byText.forEach((k, v) -> {
                long d = v - earlier.byText.getOrDefault(k, 0L);
                if (d != 0) {
                    texts.put(k, d);
                }
            });
            return new Snapshot(statements - earlier.statements, transactions - earlier.transactions,
                    writeTransactions - earlier.writeTransactions,
                    explicitTransactions - earlier.explicitTransactions, texts);
        }

        /** Statements other than transaction control (BEGIN, COMMIT, ...). */
        public long sqlStatements() {
            long control = byText.entrySet().stream()
                    .filter(e -> isControl(verb(e.getKey())))
                    .mapToLong(Map.Entry::getValue).sum();
            return statements - control;
        }
    }

    static String normalise(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 157) + "..." : oneLine;
    }

    static String verb(String text) {
        int space = text.indexOf(' ');
        String first = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        return first.endsWith(";") ? first.substring(0, first.length() - 1) : first;
    }

    static boolean isControl(String verb) {
        return switch (verb) {
            case "begin", "start", "commit", "rollback", "end", "abort" -> true;
            default -> false;
        };
    }

    static boolean isWrite(String sql, String verb) {
        if (verb.equals("insert") || verb.equals("update") || verb.equals("delete")) {
            return true;
        }
        if (!verb.equals("with")) {
            return false;
        }
        // A data-modifying CTE ("with x as (insert ...) ...", "with c as (select ...) update ..."),
        // but not a row lock ("for update", "for no key update"), which writes nothing.
        String lower = (" " + sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ") + " ")
                .replaceAll("for (no key )?update", "for-lock").replace("(", " ( ").replace(")", " ) ");
        return lower.contains(" insert into ") || lower.contains(" update ") || lower.contains(" delete from ");
    }
}
