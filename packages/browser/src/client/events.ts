import type { CloseloopError, CloseloopEvents } from "@closeloop/core";

/**
 * Every event a browser client emits: the delivery events of the outbox, and the client's own.
 *
 * @example
 * closeloop.on("error", (e) => console.warn(e.code, e.message));
 * closeloop.on("survey:finished", ({ surveyId, segment }) => analytics.track("nps", { segment }));
 */
export interface ClientEvents extends CloseloopEvents {
  /** Something failed in the background (a fetch, storage, a refused origin); never thrown at your code. */
  error: (e: CloseloopError) => void;
  "survey:shown": (e: { surveyId: string; resumed: boolean }) => void;
  "survey:finished": (e: { surveyId: string; responseId: string; segment: string }) => void;
  "survey:dismissed": (e: { surveyId: string; finished: boolean }) => void;
  "closure:shown": (e: { noticeId: string; loopId: string }) => void;
  "feedback:sent": (e: { id: string }) => void;
  /** `track()` was called (the lite client has no targeting; listen here to act on events). */
  track: (e: { name: string; props: Record<string, unknown> }) => void;
}

/** The bus as the client uses it: the core bus, typed with the client's events too. */
export interface ClientBus {
  on<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): unknown;
  off<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): unknown;
  emit<E extends keyof ClientEvents>(event: E, ...args: Parameters<ClientEvents[E]>): unknown;
  listenerCount(event: keyof ClientEvents): number;
  removeAllListeners(): unknown;
}
