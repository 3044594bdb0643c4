/**
 * Parses small CSV text into rows of trimmed cells: strips a byte-order mark, accepts LF and
 * CRLF, double-quoted cells (with `""` for a quote), and skips blank lines.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell.trim());
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell.trim());
      cell = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}

/** Key under which an id is matched: numeric ids lose leading zeros (`"007"` and `"7"` match). */
export function idKey(id: string): string {
  const t = id.trim();
  return /^\d+$/.test(t) ? String(Number.parseInt(t, 10)) : t;
}
