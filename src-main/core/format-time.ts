// Times in messages from the core and the CLI share one unambiguous format, the window's too:
// the formatter lives in the contract so the renderer uses the same one.
export { localTime, timeOfDay } from '../contract/format-time.js';
