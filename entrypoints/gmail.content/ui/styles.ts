/** The inline UI's stylesheet, put in each shadow root as a <style> (no web-accessible resources). px units only. */
export const INLINE_CSS = `
:host { all: initial; display: block; }
:host([data-inline]) { display: inline-block; vertical-align: middle; margin-right: 6px; }
.root {
  --bg: #ffffff; --fg: #1f1f1f; --muted: #444746; --border: #c4c7c5; --surface: #f0f4f9;
  --accent: #0b57d0; --accent-fg: #ffffff; --danger: #b3261e; --ok: #146c2e; --focus: #0b57d0;
  --pad: 8px; --gap: 8px; --btn-h: 32px;
  font: 14px/20px 'Google Sans', Roboto, Arial, sans-serif; color: var(--fg);
}
.root[data-theme='dark'] {
  --bg: #1f1f1f; --fg: #e3e3e3; --muted: #c4c7c5; --border: #5e5e5e; --surface: #2d2f31;
  --accent: #a8c7fa; --accent-fg: #062e6f; --danger: #f2b8b5; --ok: #6dd58c; --focus: #a8c7fa;
}
.root[data-density='compact'] { --pad: 4px; --gap: 6px; --btn-h: 24px; }
* { box-sizing: border-box; }
.bar { display: flex; flex-wrap: wrap; gap: var(--gap); align-items: center; margin: 12px 0; }
.btn {
  font: inherit; font-weight: 500; display: inline-flex; align-items: center; gap: 4px; min-height: var(--btn-h);
  padding: 0 14px; border-radius: 16px; border: 1px solid var(--border); background: var(--bg); color: var(--accent);
  cursor: pointer; text-decoration: none; white-space: nowrap;
}
.btn.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
.btn.danger { color: var(--danger); }
.btn:disabled { opacity: 0.5; cursor: default; }
.btn:hover:not(:disabled) { filter: brightness(0.95); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.chip { min-height: 24px; padding: 0 10px; font-size: 12px; }
.root[data-density='compact'] .chip { min-height: 20px; padding: 0 8px; }
.panel {
  margin: 8px 0 16px; padding: 12px; border: 1px solid var(--border); border-radius: 12px; background: var(--bg);
  max-width: 640px; display: flex; flex-direction: column; gap: var(--gap);
}
.composer-frame { display: block; width: 100%; max-width: 666px; border: 0; margin: 8px 0 16px; padding: 0; background: transparent; color-scheme: normal; }
.title { font-weight: 500; }
.muted { color: var(--muted); font-size: 12px; }
.history { list-style: none; margin: 0; padding: 8px; border-radius: 8px; background: var(--surface); display: flex; flex-direction: column; gap: 4px; }
.history li { white-space: pre-wrap; overflow-wrap: anywhere; }
.history .out { text-align: right; }
.who { font-weight: 500; margin-right: 4px; }
textarea {
  font: inherit; color: var(--fg); background: var(--bg); width: 100%; min-height: 64px; resize: vertical;
  padding: 8px; border: 1px solid var(--border); border-radius: 8px;
}
.row { display: flex; gap: var(--gap); align-items: center; flex-wrap: wrap; }
.spacer { flex: 1; }
.counter.over { color: var(--danger); font-weight: 500; }
.error { color: var(--danger); }
.ok { color: var(--ok); }
.entries { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.entry { border-left: 3px solid var(--border); padding: 2px 8px; }
.entry[data-status='sent'] { border-color: var(--ok); }
.entry[data-status='draft'] { border-color: var(--danger); }
.entry .text { white-space: pre-wrap; overflow-wrap: anywhere; }
`;
