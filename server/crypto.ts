/**
 * Secrets at rest and in transit through the browser: TikTok tokens are sealed with AES-256-GCM (random 12-byte IV,
 * the row's id as associated data so a sealed token cannot be moved to another row), OAuth `state` is signed with
 * HMAC-SHA256. Both keys are derived (HKDF) from SECRET_KEY; outside production a missing key is generated into
 * DATA_DIR (mode 0600) with a warning.
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
}

const b64u = (b: Buffer) => b.toString('base64url');

/** A 32-byte key for one purpose (`info`), derived (HKDF-SHA256) from SECRET_KEY. */
export const deriveKey = (key: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));

export function secretsFrom(key: Buffer): Secrets {
  const derive = (info: string) => deriveKey(key, info);
  const tokenKey = derive('ttg tokens v1');
  const stateKey = derive('ttg oauth state v1');
  const mac = (payload: string) => createHmac('sha256', stateKey).update(payload).digest();
  return {
    seal(plain, aad) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', tokenKey, iv).setAAD(Buffer.from(aad));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
      return `v1.${b64u(iv)}.${b64u(body)}`;
    },
    open(sealed, aad) {
      const [v, iv, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !body) throw new Error('not a sealed value');
      const raw = Buffer.from(body, 'base64url');
      const d = createDecipheriv('aes-256-gcm', tokenKey, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(aad));
      d.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString('utf8');
    },
    sign: (payload) => b64u(mac(payload)),
    verify(payload, signature) {
      const want = mac(payload);
      const got = Buffer.from(signature, 'base64url');
      return got.length === want.length && timingSafeEqual(got, want);
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
