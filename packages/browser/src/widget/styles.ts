// The widget's stylesheet. Sizes are in px and em, never rem: a page's root font size must not
// reach in. Colours meet WCAG AA in both schemes (checked by axe-core in the tests);
// `light-dark()` picks by the dialog's `color-scheme`, which `theme.mode` sets. Text on the accent
// colour is drawn in the background colour. The custom properties are listed on `Theme`.
export const CSS = `:host{all:initial!important;position:fixed!important;z-index:2147483647!important;--closeloop-accent:light-dark(#0b57d0,#a8c7fa);--closeloop-bg:light-dark(#fff,#1f1f23);--closeloop-fg:light-dark(#1f1f1f,#e8eaed);--closeloop-muted:light-dark(#5f6368,#b4b8bf)}
dialog{color-scheme:light dark;width:min(400px,100vw - 24px);max-height:calc(100vh - 24px);overflow:auto;padding:20px;border:1px solid var(--closeloop-muted);border-radius:var(--closeloop-radius,12px);background:var(--closeloop-bg);color:var(--closeloop-fg);font:16px/1.4 var(--closeloop-font,system-ui,sans-serif);accent-color:var(--closeloop-accent);box-shadow:0 8px 32px #0005}
.t{position:fixed;bottom:12px;inset-inline-end:12px;color-scheme:light dark;box-shadow:0 4px 16px #0004;font:16px/1.4 var(--closeloop-font,system-ui,sans-serif)}
.light{color-scheme:light}.dark{color-scheme:dark}
dialog:not(:modal){position:fixed;inset:auto 12px 12px;inset-inline-start:auto;margin:0}
::backdrop{background:#0006}
*{box-sizing:border-box}
h2{font-size:1.1em;margin:0 0 12px;padding-inline-end:24px}
p,blockquote{margin:0 0 12px}
blockquote{padding-inline-start:12px;border-inline-start:3px solid}
.m{font-size:.9em;color:var(--closeloop-muted)}
progress{width:100%;height:6px;margin:-8px 0 12px}
button,input,textarea,select{font:inherit;color:inherit}
button{padding:8px 16px;border:1px solid;border-radius:8px;background:none;color:var(--closeloop-accent)}
.p,.number :checked+span{background:var(--closeloop-accent);color:var(--closeloop-bg)}
.p{margin-inline-start:auto}
.x{position:absolute;top:8px;inset-inline-end:8px;border:0;padding:4px 10px}
:focus-visible,.s :focus-visible+span,.emoji :checked+span{outline:2px solid var(--closeloop-accent);outline-offset:2px}
.n{display:flex;gap:8px;margin-top:16px}
.s,.e{display:flex;gap:4px;justify-content:space-between}
.s label{flex:1;position:relative}
.s input{position:absolute;opacity:0}
.s span{display:grid;place-items:center;height:40px;border-radius:6px;font-size:1.5em}
.number span{border:1px solid var(--closeloop-muted);font-size:1em}
.stars span{color:var(--closeloop-muted)}
.stars label:has(~label :checked) span,.stars :checked+span{color:var(--closeloop-accent)}
.c label{display:flex;gap:8px;padding:4px 0}
textarea,select,.o{width:100%;min-height:40px;margin-bottom:8px;padding:8px;border:1px solid var(--closeloop-muted);border-radius:6px;background:none}
textarea{height:96px}
.err{color:light-dark(#b3261e,#f2b8b5)}
`;
