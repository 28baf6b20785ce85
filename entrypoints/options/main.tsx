import { render } from 'preact';

render(<main><h1>TikTok Gmail Link — Options</h1></main>, document.getElementById('app')!);
