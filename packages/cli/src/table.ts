/**
 * Renders rows as a plain text table with a header and a rule, columns
 * padded to their widest cell.
 */
export const renderTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string => {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();

  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
};

/**
 * A duration as `H:MM:SS.ffffff`, the form operators know from the
 * commercial tools' job-info.
 */
export const formatDuration = (ms: number): string => {
  const micros = Math.max(0, Math.round(ms * 1000));
  const totalSeconds = Math.floor(micros / 1_000_000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const f = micros % 1_000_000;

  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(f).padStart(6, '0')}`;
};
