import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the OS picks it; closed again before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
