import type { QueueStore } from "@closeloop/core";
import { queueStoreConformance } from "../../core/test/queue-store-conformance.js";
import { type FsyncPolicy, fileQueueStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

for (const fsync of ["always", "batch", "never"] as FsyncPolicy[]) {
  const dirs = new WeakMap<QueueStore, string>();
  const open = async (dir: string) => {
    const store = await fileQueueStore({ dir, fsync, maxBytes: 1 << 24, batchIntervalMs: 1 });
    dirs.set(store, dir);
    return store;
  };
  queueStoreConformance(`file (fsync ${fsync})`, {
    open: () => open(tempDir()),
    reopen: (closed) => open(dirs.get(closed) as string),
  });
}
