/**
 * Loads one of Strata's optional native addons (shared/native/*, built by
 * node-gyp at `npm install`): undefined when it was not built, or when
 * `usable` says it would not help here (the OS or CPU lacks what it wraps).
 * Callers then run without it.
 */
import { createRequire } from 'node:module';

const requireAddon = createRequire(import.meta.url);

export function loadOptionalAddon<T>(name: string, usable: (addon: T) => boolean): T | undefined {
  try {
    const addon = requireAddon(name) as T;
    return usable(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}
