/** The repository's root directory. */
export const root: string;
/** The ESM file `packages/<pkg>`'s `exports` names for `import` of `subpath`, as an app resolves it. */
export function published(pkg: string, subpath?: string): string;
/** `contents` (an app entry) bundled and minified as an app's bundler ships it; its bytes. */
export function bundleAsApp(
  contents: string,
  options?: { format?: "esm" | "iife"; loader?: "js" | "ts"; define?: Record<string, string> },
): Promise<Uint8Array>;
