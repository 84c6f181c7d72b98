// Usage bar for one budget (STYLE §9: prepare, then draw): the numbers and the tone, so
// the component only renders. A budget may limit USD, tokens or both; the bar shows the
// tighter one, the way the gateway enforces it.

export interface BudgetUsageInput {
  usd: number | null;
  tokens: number | null;
  used_usd: number;
  used_tokens: number;
}

export interface BudgetUsageBar {
  /** Percent of the tighter limit, unrounded; null when the budget has no limit at all. */
  percent: number | null;
  /** Width of the bar, clamped to 0–100 so an overrun does not break the layout. */
  width: number;
  tone: "ok" | "warn" | "over";
  /** "$1.20 of $5.00", "12,000 of 100,000 tokens", joined with " · " when both apply. */
  label: string;
}

const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });
const intFormat = new Intl.NumberFormat("en-US");

function ratio(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  // A zero limit blocks everything: any use at all is over it.
  if (limit === 0) return used > 0 ? Infinity : 100;
  return (used / limit) * 100;
}

export function prepareBudgetUsage(budget: BudgetUsageInput, warnAtPercent = 80): BudgetUsageBar {
  const parts: number[] = [];
  const labels: string[] = [];
  const usd = ratio(budget.used_usd, budget.usd);
  if (usd !== null) {
    parts.push(usd);
    labels.push(`${usdFormat.format(budget.used_usd)} of ${usdFormat.format(budget.usd!)}`);
  }
  const tokens = ratio(budget.used_tokens, budget.tokens);
  if (tokens !== null) {
    parts.push(tokens);
    labels.push(`${intFormat.format(budget.used_tokens)} of ${intFormat.format(budget.tokens!)} tokens`);
  }
  if (parts.length === 0) return { percent: null, width: 0, tone: "ok", label: "no limit" };
  const percent = Math.max(...parts);
  const width = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 100;
  const tone = percent >= 100 ? "over" : percent >= warnAtPercent ? "warn" : "ok";
  return { percent, width, tone, label: labels.join(" · ") };
}
