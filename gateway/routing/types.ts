// Structural inputs of the routing core. They mirror gateway/config/snapshot.ts without
// importing it, so the routing core stays a leaf module the pipeline can feed from any
// snapshot shape (and tests can build by hand).

export type RoutingScope = "global" | "customer" | "team" | "key";

export interface RoutingTargetInput {
  readonly kind: "target" | "fallback";
  readonly position: number;
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  /** A specific provider key name; null = any key of the provider's pool. */
  readonly providerKey: string | null;
}

export interface RoutingRuleInput {
  readonly id: string;
  readonly name: string;
  /** CEL expression; empty matches every request. */
  readonly condition: string;
  readonly scope: string;
  readonly scopeId: string | null;
  readonly priority: number;
  readonly enabled: boolean;
  readonly targets: readonly RoutingTargetInput[];
  /** RoutingRule.fallbackOn JSON; null/undefined = PRODUCT §4.2 defaults. */
  readonly fallbackOn?: unknown;
  /** RoutingRule.retry JSON; null/undefined = defaults. */
  readonly retry?: unknown;
}

export interface RoutingProviderKeyView {
  readonly id: string;
  readonly name: string;
  readonly weight: number;
  /** Globs of models this key may serve; empty = all. */
  readonly models: readonly string[];
}

export interface RoutingProviderView {
  readonly name: string;
  readonly enabled: boolean;
  /** Empty = every request type. */
  readonly requestTypes: readonly string[];
  /** Model names this provider serves (the catalog). */
  readonly models: readonly string[];
  /** Enabled, usable keys. */
  readonly keys: readonly RoutingProviderKeyView[];
}

export interface NamedEntity {
  readonly id: string;
  readonly name: string;
}

/** Everything routing needs to know about one request; built by the pipeline. */
export interface RouteRequest {
  /** The model as the client sent it: bare, `provider/model`, or an alias. */
  readonly model: string;
  /** chat, chat_stream, responses, responses_stream, embeddings, messages, ... */
  readonly requestType: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The decoded request body; only top-level scalars reach CEL. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly key: (NamedEntity & { readonly allowedProviders: readonly string[] }) | null;
  readonly team: NamedEntity | null;
  readonly customer: NamedEntity | null;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly tags?: readonly string[];
  /** Usage fractions 0..1 of the applicable budgets/limits (highest one), from governance. */
  readonly usage?: { readonly budgetUsed?: number; readonly tokensUsed?: number; readonly requestsUsed?: number };
}
