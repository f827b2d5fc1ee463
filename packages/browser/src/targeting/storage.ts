/**
 * Where the targeting keeps what must outlive the page: when each survey was shown and answered,
 * when any was last shown, and sample draws — all numbers, under the keys `shown:<id>`,
 * `answered:<id>`, `lastShown` and `draw:<id>:<version>`. The client passes its `keyValue`
 * (localStorage under its prefix, read afresh so tabs see each other, falling back to memory
 * where storage throws). `get_` answers `undefined` for a key never set, and neither may throw.
 * (Names ending in `_` are internal, shortened by the build: docs/size.md.)
 */
export interface TargetingStorage {
  get_(key: string): unknown;
  set_(key: string, value: number): void;
}
