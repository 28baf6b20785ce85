/**
 * The content script's features, one file each under features/, each declaring itself (refined-github's shape):
 *
 *   features.add({ id: 'row-quick-action', setting: 'quick_actions', start: (ctx) => subscribe(...) });
 *
 * `start` returns the feature's cleanup. index.ts imports every feature file (their import order is the order they
 * start in) and calls `startFeatures` once the detector runs; the cleanup that returns stops them all (WXT calls it
 * when the content script is invalidated). A feature with a `setting` runs while `settings.gmail[setting]` is not
 * `false`, starting and stopping as it changes. A feature that throws is counted in the diagnostics; the others run.
 */
import type { Detector } from './detection/detector';
import { countFailure } from './detection/state';
import { readStoredSettings, watchStoredSettings } from './stored-settings';

type Cleanup = () => void;

/** What a feature gets: the detector's view changes and counters. Features reach the detected emails through the hub. */
type FeatureContext = Pick<Detector, 'onViewChange' | 'stats'>;

/** A boolean of `settings.gmail` that turns a feature off when `false`. */
type FeatureSetting = 'quick_actions';

interface Feature {
  id: string;
  setting?: FeatureSetting;
  start(ctx: FeatureContext): Cleanup;
}

const registered: Feature[] = [];

export const features = {
  add(feature: Feature): void {
    registered.push(feature);
  },
};

/** Starts one feature; a throw, now or in its cleanup, is counted in the diagnostics and stops nothing else. */
function start(feature: Feature, ctx: FeatureContext): Cleanup {
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      countFailure(ctx.stats, e);
    }
  };
  let cleanup: Cleanup = () => {};
  guarded(() => (cleanup = feature.start(ctx)));
  return () => guarded(cleanup);
}

const isOn = (stored: unknown, setting: FeatureSetting) =>
  (stored as { gmail?: Record<string, unknown> } | null)?.gmail?.[setting] !== false;

function startWhileOn(feature: Feature, setting: FeatureSetting, ctx: FeatureContext): Cleanup {
  let stop: Cleanup | null = null;
  let live = true;
  const apply = (on: boolean) => {
    if (on && live && !stop) stop = start(feature, ctx);
    if (!on && stop) {
      stop();
      stop = null;
    }
  };
  readStoredSettings().then(
    (stored) => apply(isOn(stored, setting)),
    () => {},
  );
  const unwatch = watchStoredSettings((stored) => apply(isOn(stored, setting)));
  return () => {
    live = false;
    unwatch();
    apply(false);
  };
}

export function startFeatures(ctx: FeatureContext): Cleanup {
  const cleanups = registered.map((feature) =>
    feature.setting ? startWhileOn(feature, feature.setting, ctx) : start(feature, ctx),
  );
  return () => cleanups.forEach((cleanup) => cleanup());
}
