// One undici Agent per connect timeout: each keeps a keep-alive Pool per upstream origin,
// so requests to the same provider reuse warm TCP/TLS connections. undici sets the connect
// timeout per Agent, not per request, hence one Agent per distinct value (providers share
// the default one unless their settings say otherwise).
import { Agent } from "undici";
import { DEFAULT_PROVIDER_TIMEOUTS } from "./provider-timeouts";

export interface UpstreamDispatchers {
  forConnectTimeout(connectMs: number): Agent;
  close(): Promise<void>;
}

function createAgent(connectMs: number): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 512,
    connect: { timeout: connectMs },
    // Per-request headersTimeout / bodyTimeout come from the provider (send-chat-request.ts);
    // these are only the ceilings for a request that sets none.
    headersTimeout: DEFAULT_PROVIDER_TIMEOUTS.firstByteMs,
    bodyTimeout: DEFAULT_PROVIDER_TIMEOUTS.streamIdleMs,
  });
}

export function createUpstreamDispatchers(): UpstreamDispatchers {
  const agents = new Map<number, Agent>();
  return {
    forConnectTimeout(connectMs) {
      let agent = agents.get(connectMs);
      if (!agent) {
        agent = createAgent(connectMs);
        agents.set(connectMs, agent);
      }
      return agent;
    },
    async close() {
      await Promise.allSettled([...agents.values()].map((a) => a.close()));
    },
  };
}
