/**
 * A clock that runs with the wall clock but can be moved ahead or set in the past: the `now` that
 * `openCore`, the demo server and `CliHome.runInProcess` take, so a test reaches a token's renewal
 * margin or its expiry without sleeping until then. A spawned binary keeps the real clock: sign in
 * through `runInProcess` with a clock in the past instead, and the session is that old for it.
 */
export interface MovableClock {
  now: () => number;
  advance(ms: number): void;
}

export function movableClock(offsetMs = 0): MovableClock {
  let offset = offsetMs;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
