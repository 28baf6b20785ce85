import { addonId, findFirefox } from './firefox';

export default function globalSetup(): void {
  addonId(); // the Firefox build exists and names its add-on id
  findFirefox();
}
