import { displayUrl, displayValue } from './display';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown when the environment holds a missing or invalid setting; its message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variable's value without surrounding whitespace; undefined when unset or blank. */
export const present = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const kindOf = (min: number): string => {
  if (min === 1) return 'a positive integer';
  if (min === 0) return 'a non-negative integer';
  return 'an integer';
};

/**
 * An integer setting from `min` to `max`, `fallback` when unset.
 *
 * @throws {ConfigError} naming the variable, the range and (bounded) what it holds.
 */
export const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? '' : ` between ${min} and ${max}`;
    throw new ConfigError(`${name} must be ${kindOf(min)}${range}, got ${displayValue(raw)}`);
  }
  return value;
};

/**
 * A number setting (fractions allowed) from `min` to `max`, `fallback` when unset.
 *
 * @throws {ConfigError} naming the variable, the range and (bounded) what it holds.
 */
export const decimal = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(`${name} must be a number between ${min} and ${max}, got ${displayValue(raw)}`);
  }
  return value;
};

/**
 * A boolean setting: `true`/`1` or `false`/`0`, any case; `fallback` when unset.
 *
 * @throws {ConfigError} naming the variable and what it holds.
 */
export const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${displayValue(raw)}`);
};

/**
 * One of `allowed`, `fallback` when unset; `ignoreCase` accepts any case and answers the allowed spelling.
 *
 * @throws {ConfigError} naming the variable and listing what it may be.
 */
export const oneOf = <T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  { ignoreCase = false } = {},
): T => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const match = allowed.find((value) =>
    ignoreCase ? value.toLowerCase() === raw.toLowerCase() : value === raw,
  );
  if (match === undefined) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${displayValue(raw)}`);
  }
  return match;
};

/**
 * Parses `raw`, the value of `name`, as an http(s) URL. The value is echoed masked: a URL may hold credentials or a
 * secret query, and a value that does not parse is not echoed at all.
 *
 * @throws {ConfigError} naming the variable and saying that it expects `expected`.
 */
export const parseHttpUrl = (name: string, raw: string, expected = 'an http(s) URL'): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} must be ${expected}, got a value that does not parse as a URL (not shown: it may hold credentials)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be ${expected}, got ${displayValue(displayUrl(raw))}`);
  }
  return url;
};
