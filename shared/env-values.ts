/**
 * Readers of single environment values shared by the settings modules
 * (jobs-config.ts, notify-config.ts); a bad value is a ConfigError naming the
 * variable.
 */
// config.ts imports the settings modules that import this one; ConfigError is only used once all are loaded.
import { ConfigError } from './config.js';

/** A whole number in [min, max]; `def` when unset or empty. */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
