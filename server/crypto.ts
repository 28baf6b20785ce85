/**
 * Secrets at rest and in transit through the browser: TikTok tokens are sealed with AES-256-GCM (random 12-byte IV,
 * the row's id as associated data so a sealed token cannot be moved to another row), OAuth `state` is signed with
 * HMAC-SHA256. Both keys are derived (HKDF) from SECRET_KEY; outside production a missing key is generated into
 * DATA_DIR (mode 0600) with a warning. Rotation: with SECRET_KEY_PREVIOUS set, what the previous key sealed or
 * signed still opens and verifies, and `reseal` turns it into a value sealed with the current key.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseSecretKey } from './config';

export interface Secrets {
  seal(plain: string, aad: string): string;
  open(sealed: string, aad: string): string;
  sign(payload: string): string;
  verify(payload: string, signature: string): boolean;
  /** The value sealed again with the current key when only a previous key opens it; null when it needs nothing (or opens with no key). */
  reseal(sealed: string, aad: string): string | null;
}

const b64u = (b: Buffer) => b.toString('base64url');

/** A 32-byte key for one purpose (`info`), derived (HKDF-SHA256) from SECRET_KEY. */
export const deriveKey = (key: Buffer, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));

function keysOf(key: Buffer) {
  const derive = (info: string) => deriveKey(key, info);
  return { tokenKey: derive('ttg tokens v1'), stateKey: derive('ttg oauth state v1') };
}

function openWith(tokenKey: Buffer, sealed: string, aad: string): string {
  const [v, iv, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !body) throw new Error('not a sealed value');
  const raw = Buffer.from(body, 'base64url');
  const d = createDecipheriv('aes-256-gcm', tokenKey, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(aad));
  d.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString('utf8');
}

const opens = (tokenKey: Buffer, sealed: string, aad: string) => {
  try {
    return openWith(tokenKey, sealed, aad);
  } catch {
    return null;
  }
};

/** Secrets from the current key and, during a rotation, the keys being retired (tried after it, never used to seal). */
export function secretsFrom(key: Buffer, previous: Buffer[] = []): Secrets {
  const current = keysOf(key);
  const all = [current, ...previous.map(keysOf)];
  const mac = (stateKey: Buffer, payload: string) => createHmac('sha256', stateKey).update(payload).digest();
  const seal = (plain: string, aad: string) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', current.tokenKey, iv).setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `v1.${b64u(iv)}.${b64u(body)}`;
  };
  return {
    seal,
    open(sealed, aad) {
      if (all.length > 1) {
        for (const k of all) {
          const plain = opens(k.tokenKey, sealed, aad);
          if (plain !== null) return plain;
        }
      }
      return openWith(current.tokenKey, sealed, aad); // the current key, or its reason for refusing
    },
    sign: (payload) => b64u(mac(current.stateKey, payload)),
    verify(payload, signature) {
      const got = Buffer.from(signature, 'base64url');
      return all.some(({ stateKey }) => {
        const want = mac(stateKey, payload);
        return got.length === want.length && timingSafeEqual(got, want);
      });
    },
    reseal(sealed, aad) {
      if (opens(current.tokenKey, sealed, aad) !== null) return null;
      for (const k of all.slice(1)) {
        const plain = opens(k.tokenKey, sealed, aad);
        if (plain !== null) return seal(plain, aad);
      }
      return null;
    },
  };
}

/** SECRET_KEY, or (outside production) the key kept in DATA_DIR/secret.key, generated on first start. */
export function loadSecretKey(secretKey: string | undefined, dataDir: string, warn: (m: string) => void): Buffer {
  if (secretKey) return parseSecretKey(secretKey)!;
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = parseSecretKey(readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a valid key: delete it or set SECRET_KEY.`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  warn(`SECRET_KEY is not set: generated one into ${file}. Set SECRET_KEY in production.`);
  return key;
}
