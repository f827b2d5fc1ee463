// The package's own main entry, not its files: an app that imports both entries gets one client.
import { type Client, type InitOptions, init } from "@closeloop/browser";
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useEffect,
  useState,
} from "react";

const CloseloopContext = createContext<Client | undefined>(undefined);

/** Props of {@link CloseloopProvider}. */
export interface CloseloopProviderProps {
  /**
   * `init`'s options, read once when the provider mounts: to change them, remount it (give it a
   * new `key`). A bad option throws `ValidationError` from the provider's effect.
   */
  options: InitOptions;
  children?: ReactNode;
}

/**
 * Starts Closeloop for the components inside it, in the browser only: it calls `init` in an
 * effect, which a server never runs, so server rendering (Next.js included) touches no `window`;
 * unmounting shuts the client down (listeners, timers and nodes removed).
 *
 * @example
 * <CloseloopProvider options={{ endpoint: "https://feedback.example.com", publicKey: "pk_…" }}>
 *   <App />
 * </CloseloopProvider>
 */
export function CloseloopProvider({ options, children }: CloseloopProviderProps): ReactNode {
  const [client, setClient] = useState<Client>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the options are read once, at mount.
  useEffect(() => {
    const started = init(options);
    setClient(started);
    return () => {
      setClient(undefined);
      void started.shutdown();
    };
  }, []);
  return createElement(CloseloopContext.Provider, { value: client }, children);
}

/**
 * The client of the nearest `CloseloopProvider`: `undefined` while rendering on a server and
 * until the provider's effect has run in the browser.
 *
 * @example
 * const closeloop = useCloseloop();
 * useEffect(() => { if (user) closeloop?.identify({ id: user.id, token: user.closeloopToken }); }, [closeloop, user]);
 */
export const useCloseloop = (): Client | undefined => useContext(CloseloopContext);
