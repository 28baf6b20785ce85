import { findChromium } from '../support/chromium';
import { assertBuilt } from '../support/extension';

export default function globalSetup(): void {
  assertBuilt(); // a missing build makes Chromium skip the extension silently and tests hang
  findChromium();
}
