import { render } from 'preact';
import { App } from './App';
import { RenderGuard } from './link/RenderGuard';
import './popup.css';

render(
  <RenderGuard>
    <App />
  </RenderGuard>,
  document.getElementById('app')!,
);
// The popup is usable from here (fields and buttons rendered, handlers attached); `npm run bench:load` reads this mark.
performance.mark('popup-interactive');
