/**
 * Server instances as separate processes (`npm run server`'s entry, `server/main.ts`), the way a deployment runs them:
 * the crash and fault tests `kill -9` them and start them again on the same port and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** `kill -9`, resolved once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `server/main.ts` (or another script `entry` that prints the same line, such as bench:server's floor) with
 * `env` and resolves once it prints `Service listening on <url>` (90 s at most).
 */
export function startProcess(env: Record<string, string>, entry = ['server/main.ts']): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${out}`)), 90_000);
    const read = (b: Buffer) => {
      out += b.toString();
      const m = /Service listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, kill });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/**
 * `n` instances with `env` (so on one database), each on its own port and data folder; `procs[i]` may be replaced by a
 * restart with `envs[i]`; `stop()` kills them all and removes the folders.
 */
export async function startInstances(n: number, env: Record<string, string>) {
  const envs = await Promise.all(
    Array.from({ length: n }, async () => ({
      ...env,
      PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ttg-inst-')),
    })),
  );
  const procs = await Promise.all(envs.map((e) => startProcess(e)));
  return {
    envs,
    procs,
    async stop() {
      await Promise.all(procs.map((p) => p.kill()));
      for (const e of envs) rmSync(e.DATA_DIR, { recursive: true, force: true });
    },
  };
}
