/** RFC 4180 CSV as Bulk API 2.0 reads and writes it (comma, double quotes, LF or CRLF line endings). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = (): void => {
    record.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 1;
    } else field += c;
    i += 1;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) endRecord();
  const [header = [], ...rows] = records;
  return { header, rows };
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Salesforce quotes every value in result files. */
export function formatCsv(header: string[], rows: string[][]): string {
  const lines = [header.map(quote).join(',')];
  for (const row of rows) lines.push(row.map(quote).join(','));
  return `${lines.join('\n')}\n`;
}
