// Model aliases (issue 5 item 2): a client asks for `fast` and gets `openai/gpt-4o-mini`.
// Aliases resolve exactly one level deep: the target of an alias is never itself looked up
// as an alias, so a map can never send resolution round in circles. Chains and cycles are
// still reported by validateModelAliases so that a config that relies on them (`a → b → c`,
// which would silently resolve `a` to `b`) is rejected on save instead.

export interface ModelAliasProblem {
  readonly alias: string;
  readonly message: string;
}

export interface ModelAliasResolution {
  /** The model to route: the alias target, or the requested model when it is no alias. */
  readonly model: string;
  /** Set when an alias applied. */
  readonly alias: { readonly from: string; readonly to: string } | null;
}

export type ModelAliasEntries = Readonly<Record<string, string>> | ReadonlyMap<string, string> | Iterable<readonly [string, string]>;

function entriesOf(entries: ModelAliasEntries): [string, string][] {
  if (entries instanceof Map) return [...(entries as ReadonlyMap<string, string>).entries()];
  if (typeof (entries as Iterable<unknown>)[Symbol.iterator] === "function") return [...(entries as Iterable<readonly [string, string]>)].map(([a, t]) => [a, t]);
  return Object.entries(entries as Readonly<Record<string, string>>);
}

/** One lookup, never recursive. */
export function resolveModelAlias(model: string, aliases: ReadonlyMap<string, string> | undefined): ModelAliasResolution {
  const target = aliases?.get(model);
  return target === undefined ? { model, alias: null } : { model: target, alias: { from: model, to: target } };
}

/** Problems that make an alias map unfit to save: blanks, duplicates, self-references, chains and cycles. */
export function validateModelAliases(entries: ModelAliasEntries): ModelAliasProblem[] {
  const problems: ModelAliasProblem[] = [];
  const map = new Map<string, string>();
  for (const [rawAlias, rawTarget] of entriesOf(entries)) {
    const alias = rawAlias.trim();
    const target = rawTarget.trim();
    if (alias === "") {
      problems.push({ alias: rawAlias, message: "Alias name is empty" });
      continue;
    }
    if (target === "") {
      problems.push({ alias, message: `Alias '${alias}' has no target model` });
      continue;
    }
    if (map.has(alias)) {
      problems.push({ alias, message: `Alias '${alias}' is defined more than once` });
      continue;
    }
    map.set(alias, target);
  }
  const reported = new Set<string>();
  for (const [alias, target] of map) {
    if (reported.has(alias)) continue;
    if (target === alias) {
      problems.push({ alias, message: `Alias '${alias}' points to itself` });
      reported.add(alias);
      continue;
    }
    if (!map.has(target)) continue;
    // Follow the chain (bounded by the map size) to tell a cycle from a plain chain.
    const path = [alias];
    let next: string | undefined = target;
    while (next !== undefined && map.has(next) && !path.includes(next) && path.length <= map.size) {
      path.push(next);
      next = map.get(next);
    }
    if (next !== undefined && path.includes(next)) {
      const cycle = path.slice(path.indexOf(next));
      const text = [...cycle, next].join(" → ");
      for (const member of cycle) {
        if (reported.has(member)) continue;
        reported.add(member);
        problems.push({ alias: member, message: `Aliases form a cycle: ${text}` });
      }
      if (!cycle.includes(alias)) {
        reported.add(alias);
        problems.push({ alias, message: `Alias '${alias}' points to alias '${target}'; aliases resolve one level deep, point it at a model` });
      }
    } else {
      reported.add(alias);
      problems.push({ alias, message: `Alias '${alias}' points to alias '${target}'; aliases resolve one level deep, point it at a model` });
    }
  }
  return problems;
}

/**
 * The map resolveRoute reads (RoutingSnapshotView.modelAliases), built once per snapshot:
 * trimmed, first definition wins, self-references dropped. Chains are kept as written and
 * resolve one level (reject them on save with validateModelAliases).
 */
export function buildModelAliasMap(entries: ModelAliasEntries): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const [rawAlias, rawTarget] of entriesOf(entries)) {
    const alias = rawAlias.trim();
    const target = rawTarget.trim();
    if (alias === "" || target === "" || alias === target || map.has(alias)) continue;
    map.set(alias, target);
  }
  return map;
}
