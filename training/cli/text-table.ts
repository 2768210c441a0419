/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? "").length)));
  const numeric = header.map(
    (_, c) => rows.length > 0 && rows.every((row) => /^[-−+]?[\d.,]+( ?%)?$|^—$/.test(row[c] ?? "")),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
