import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

function Popup() {
  const [mode, setMode] = useState<string>('…');
  useEffect(() => {
    void send('ping', {}).then((r) => setMode(r.ok ? r.data.mode : r.error.message));
  }, []);
  return <main><h1>TikTok Gmail Link</h1><p>Service: {mode}</p></main>;
}

render(<Popup />, document.getElementById('app')!);
