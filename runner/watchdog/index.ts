// The watchdog's public surface: one import for the runner and its fixtures.
export { WatchdogClient, type WatchdogOptions } from './client.ts';
export { watchdogForThisProcess } from './for-this-process.ts';
export { validateWatchItem, type WatchItem } from './watch-item.ts';
export { WatchdogError } from './watchdog-error.ts';
