-- A cap on runs that keep failing (issue 22, ADR 0021). The count lives on the run, so every
-- process sees it and it survives restarts: how many claims of the run ended without a committed
-- step since its last committed step (a claim whose steps kept failing and that gave the run
-- back, or whose lease expired because its process died). A committed step sets it back to 0;
-- a claim that finds it at berth.engine.max-attempts fails the run instead of executing it.
alter table runs add column failed_attempts integer not null default 0 check (failed_attempts >= 0);
