/**
 * The Gmail content script's `ContentScriptContext`: wxt.config.ts aliases WXT's class to this module in the
 * content-script build only (bundle budget, issue 11), as it aliases the polyfill to native-browser.ts. It keeps what
 * the script uses (index.ts: `onInvalidated`) and WXT's invalidation: a newer copy of this script announcing itself
 * on the document with WXT's event stops this one. It leaves out what the script does not use: WXT's location watcher,
 * its timer and listener wrappers, and its `window.postMessage` announcement, which told every script in the page the
 * extension's id.
 */
import browser from './native-browser';

export class ContentScriptContext {
  /** Calls `cb` when this copy of the script is stopped; returns the function that takes `cb` back. */
  readonly onInvalidated: (cb: () => void) => () => void;

  constructor(contentScriptName: string) {
    const controller = new AbortController();
    const { signal } = controller;
    const id = Math.random().toString(36).slice(2);
    const started = `${browser.runtime.id}:${contentScriptName}:wxt:content-script-started`;
    document.dispatchEvent(new CustomEvent(started, { detail: { contentScriptName, messageId: id } }));
    const onNewer = (e: Event) => {
      const detail = (e as CustomEvent<{ contentScriptName?: string; messageId?: string } | null>).detail;
      if (detail?.contentScriptName === contentScriptName && detail.messageId !== id) controller.abort();
    };
    document.addEventListener(started, onNewer, { signal });
    this.onInvalidated = (cb) => {
      signal.addEventListener('abort', cb);
      return () => signal.removeEventListener('abort', cb);
    };
  }
}
