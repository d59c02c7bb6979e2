package dev.berth.deploy.api;

/**
 * GET /v1/budgets: what the tenant's admin set ({@code set}, as PUT took it), the configured
 * defaults ({@code berth.budget.*}), and what holds ({@code effective}: {@code set} where given,
 * else the default; a measure null in all three is unlimited).
 */
public record BudgetsView(BudgetView set, BudgetView defaults, BudgetView effective) {
}
