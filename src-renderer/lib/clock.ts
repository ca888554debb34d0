import { useSyncExternalStore } from 'react';
import { useDesk } from '../store.js';

/** One shared one-second ticker for every countdown on screen. */
let tick = Date.now();
const subs = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(cb: () => void): () => void {
  subs.add(cb);
  if (!timer) {
    tick = Date.now();
    timer = setInterval(() => {
      tick = Date.now();
      for (const s of subs) s();
    }, 1000);
  }
  return () => {
    subs.delete(cb);
    if (subs.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const snapshot = () => tick;

/** "Now" on the main process's clock, ticking once a second. */
export function useNow(): number {
  const local = useSyncExternalStore(subscribe, snapshot, snapshot);
  const offset = useDesk((s) => s.clockOffset);
  return local + offset;
}
