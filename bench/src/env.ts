/** Whether the full-size runs were asked for (`ROTOR_BENCH_FULL=1`). */
export const full = (): boolean => process.env['ROTOR_BENCH_FULL'] === '1';

/** A positive integer from the environment, else the default. */
export const intFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);

  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** Megabytes of a byte count. */
export const mb = (bytes: number): number => bytes / 2 ** 20;

/** The median of some numbers (NaN for none). */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);

  return s.length === 0
    ? NaN
    : s.length % 2 === 1
      ? (s[mid] ?? NaN)
      : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};
