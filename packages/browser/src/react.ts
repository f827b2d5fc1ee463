/**
 * `@closeloop/browser/react` — React bindings: `<CloseloopProvider>` starts the client in the
 * browser (never on a server), `useCloseloop()` hands it to components, and `<FeedbackButton>`
 * opens the feedback form. React 18 or 19 is an optional peer dependency of the package.
 *
 * @packageDocumentation
 * @module @closeloop/browser/react
 */

export type { FeedbackButtonProps } from "./react/feedback-button.js";
export { FeedbackButton } from "./react/feedback-button.js";
export type { CloseloopProviderProps } from "./react/provider.js";
export { CloseloopProvider, useCloseloop } from "./react/provider.js";
