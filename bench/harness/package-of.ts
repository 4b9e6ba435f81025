/** Name of the project's own code in breakdowns. */
export const OWN_CODE = 'this project (src/)';

/**
 * The npm package a source path belongs to (`@scope/name` or `name`, from its last node_modules folder), the
 * project's own code for paths under src/, or the path itself otherwise.
 */
export const packageOf = (path: string): string => {
  const normalized = path.replaceAll('\\', '/');
  const at = normalized.lastIndexOf('node_modules/');
  if (at >= 0) {
    const [first = '', second = ''] = normalized.slice(at + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (/(^|\/)src\//.test(normalized)) return OWN_CODE;
  if (normalized === 'package.json' || normalized.endsWith('/package.json')) return OWN_CODE;
  return normalized;
};

/** An amount attributed to one package. */
export interface Share {
  readonly name: string;
  readonly amount: number;
  /** Fraction of the total, 0-1. */
  readonly share: number;
}

/** Sums amounts by name, largest first, with each one's share of the total. */
export const shares = (entries: Iterable<readonly [name: string, amount: number]>): Share[] => {
  const totals = new Map<string, number>();
  for (const [name, amount] of entries) totals.set(name, (totals.get(name) ?? 0) + amount);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()]
    .map(([name, amount]) => ({ name, amount, share: sum > 0 ? amount / sum : 0 }))
    .sort((a, b) => b.amount - a.amount);
};
