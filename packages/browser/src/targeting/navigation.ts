/** The parts of `window` the navigation watcher touches. */
export type NavigationWindow = Pick<Window, "history" | "addEventListener" | "removeEventListener">;

/**
 * Calls `onChange` after every same-document navigation: `history.pushState` and `replaceState`
 * (which fire no event, so they are wrapped), `popstate` and `hashchange`. Returns the function
 * that undoes it: each history method is put back exactly as it was (an own property again, or
 * none so the prototype's shows through) — unless someone wrapped it after us, in which case our
 * wrapper stays in their chain but only passes calls through, so their wrapper keeps working.
 *
 * @example
 * const unwatch = watchNavigation(window, () => console.log(location.href));
 */
export function watchNavigation(win: NavigationWindow, onChange: () => void): () => void {
  const history = win.history;
  const restores = (["pushState", "replaceState"] as const).map((name) => {
    const wasOwn = Object.hasOwn(history, name);
    const original = history[name];
    let live = true;
    const wrapper = function (this: History, ...args: Parameters<History[typeof name]>) {
      const result = original.apply(this, args);
      if (live) onChange();
      return result;
    };
    history[name] = wrapper;
    return () => {
      live = false;
      if (history[name] !== wrapper) return;
      if (wasOwn) history[name] = original;
      else delete (history as Partial<History>)[name];
    };
  });
  win.addEventListener("popstate", onChange);
  win.addEventListener("hashchange", onChange);
  return () => {
    for (const restore of restores) restore();
    win.removeEventListener("popstate", onChange);
    win.removeEventListener("hashchange", onChange);
  };
}
