import { memoryQueueStore } from "../src/index.js";
import { queueStoreConformance } from "./queue-store-conformance.js";

queueStoreConformance("memoryQueueStore", { open: async () => memoryQueueStore() });
