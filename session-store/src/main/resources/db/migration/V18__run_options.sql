-- Per-run options (issue 17, ADR 0036): what a single run sets for itself on top of its agent
-- (instructions, client tools, tool choice, answer limit, structured output, metadata). Written by
-- the statement that queues the run (berth_submit, R__10); null for a run as its agent defines it.
alter table runs add column options jsonb null;
