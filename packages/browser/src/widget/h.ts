/** An attribute value: `true` sets it empty, `false` and `undefined` leave it out. */
type Attr = string | number | boolean | undefined;

/**
 * Creates an element with attributes and children. The widget's one way to build DOM: strings
 * become text nodes (never parsed as HTML, see docs/browser.md on safety), and nothing here sets
 * a `style` attribute or an inline handler, so a strict Content-Security-Policy allows it all.
 *
 * @example
 * h("button", { type: "button", "aria-label": "Close" }, "×")
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== undefined && value !== false)
      el.setAttribute(name, value === true ? "" : `${value}`);
  }
  el.append(...children);
  return el;
}
