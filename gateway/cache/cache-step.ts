// The pipeline's cache step, between route (3) and the attempts (4–7), as one call in and
// one out so it can move with the handler:
//   const cached = await consultCache({...});   // replays a hit, or arms the recorder
//   if (cached.answered) return;
//   ...attempts...
//   cached.afterAnswer();                       // drops an entry if the answer was not clean
// A hit is answered only if the key may use at least one planned target: the cache must
// not become a way around a key's model allow-list.
import type { ServerResponse } from "node:http";
import type { AuthenticatedKey } from "../pipeline/authenticate";
import { authorizeModel } from "../pipeline/authorize-model";
import type { RequestTrace } from "../pipeline/request-trace";
import type { PlannedAttempt } from "../pipeline/route-request";
import { cacheSettingsOf } from "./cache-config";
import type { CacheLayer, CacheLookup } from "./cache-layer";
import { replayResponse } from "./replay-response";

export interface CacheStepInput {
  readonly cache: CacheLayer;
  readonly res: ServerResponse;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly signal: AbortSignal;
  readonly auth: AuthenticatedKey;
  readonly body: Readonly<Record<string, unknown>>;
  readonly stream: boolean;
  readonly trace: RequestTrace;
  readonly targets: readonly PlannedAttempt[];
  /** A route's own answer shape within its client API (Gemini's JSON-array stream): entries of another shape never replay to it. */
  readonly answerFormat?: string;
}

export interface CacheStepResult {
  /** True when a cached answer was replayed: the request is done. */
  readonly answered: boolean;
  /** After the attempts: a failed or interrupted answer must never stay cached. */
  afterAnswer(): void;
}

function mayUseAnyTarget(auth: AuthenticatedKey, targets: readonly PlannedAttempt[]): boolean {
  return targets.some((target) => {
    try {
      authorizeModel(auth, target);
      return true;
    } catch {
      return false;
    }
  });
}

export async function consultCache(input: CacheStepInput): Promise<CacheStepResult> {
  const { trace } = input;
  const lookup: CacheLookup = await input.cache.lookup({
    clientApi: input.answerFormat === undefined ? trace.clientApi : `${trace.clientApi}:${input.answerFormat}`,
    body: input.body,
    stream: input.stream,
    headers: input.headers,
    keyId: input.auth.key.id,
    teamId: input.auth.team?.id ?? null,
    keySettings: cacheSettingsOf(input.auth.key),
    teamSettings: cacheSettingsOf(input.auth.team),
    signal: input.signal,
  });
  trace.cache = lookup.status;
  if (lookup.status === "none") {
    if (lookup.reason === "conversation_too_long") trace.cacheSkipped = lookup.reason;
    return { answered: false, afterAnswer: () => {} };
  }
  trace.cacheNamespace = lookup.namespace;

  if ((lookup.status === "hit-exact" || lookup.status === "hit-semantic") && mayUseAnyTarget(input.auth, input.targets)) {
    const { entry } = lookup;
    const replayed = await replayResponse(input.res, entry, lookup.status, trace.startedAtMs, input.signal);
    trace.status = replayed.completed ? entry.response.status : 499;
    trace.provider = entry.provider;
    trace.model = entry.model;
    trace.ttftMs = replayed.ttftMs;
    trace.cacheSimilarity = lookup.status === "hit-semantic" ? lookup.similarity : null;
    trace.cacheSavedUsd = entry.costUsd;
    trace.cacheEntryId = entry.id;
    return { answered: true, afterAnswer: () => {} };
  }
  if (lookup.status === "hit-exact" || lookup.status === "hit-semantic") {
    // Not served from the cache (no allowed target): the attempts produce the error.
    trace.cache = "miss";
    return { answered: false, afterAnswer: () => {} };
  }

  // Only miss / bypass are left here: the recorder stamps the header and captures the answer.
  input.cache.record(input.res, lookup);
  const plan = lookup.status === "miss" || lookup.status === "bypass" ? lookup.plan : null;
  return {
    answered: false,
    afterAnswer: () => {
      if (!plan || (trace.error === null && trace.status >= 200 && trace.status < 300)) return;
      void input.cache.invalidate({ entryId: plan.exactId }).catch(() => {});
    },
  };
}
