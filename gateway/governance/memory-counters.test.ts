import { describeCountersContract } from "./counters-contract";
import { MemoryCounters } from "./memory-counters";

describeCountersContract("memory counters", {
  async replicas() {
    // One process: both "replicas" are the same store.
    const counters = new MemoryCounters();
    return [counters, counters];
  },
});
