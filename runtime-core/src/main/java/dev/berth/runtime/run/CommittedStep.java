package dev.berth.runtime.run;

/**
 * What a step commit answers ({@link RunStore#commitStep}).
 *
 * @param lastSeq the session's last event sequence number after the commit
 * @param budget  for a run that goes on (still {@code running}), the budget state after this
 *                step, read in the same statement; null for a run the step settled
 */
public record CommittedStep(long lastSeq, BudgetState budget) {
}
