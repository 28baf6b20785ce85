/** A round profile picture that falls back to the first letter of the name when the image cannot load. */
import { useState } from 'preact/hooks';

export function Avatar({ url, name, size = 48 }: { url: string; name: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  const style = { width: `${size}px`, height: `${size}px` };
  if (failed || !url) {
    return (
      <span
        class="avatar avatar-letter"
        style={{ ...style, fontSize: `${Math.round(size / 2.2)}px` }}
        aria-hidden="true"
      >
        {Array.from(name.trim())[0]?.toUpperCase() ?? '?'}
      </span>
    );
  }
  return (
    <img class="avatar" src={url} alt="" width={size} height={size} style={style} onError={() => setFailed(true)} />
  );
}
