import type { JsonValue } from '../../core/values.ts';

/**
 * Postgres' array text format (`{1,2,NULL}`, `{{"a b","c\"d"},{e,f}}`, `[0:1]={7,8}`) as nested
 * JSON arrays, each element passed through the element type's parser. Delimiter is ',' for every
 * type this source parses (only `box` uses ';', and it stays text).
 */
export function parseArrayLiteral(text: string, parseElement: (raw: string) => JsonValue): JsonValue[] {
  let position = 0;
  // A non-default lower bound is printed as a dimension prefix; the values are what matter.
  if (text[0] === '[') position = text.indexOf('=') + 1;
  const parser = new ArrayLiteralParser(text, position, parseElement);
  return parser.parseArray();
}

class ArrayLiteralParser {
  constructor(
    private readonly text: string,
    private position: number,
    private readonly parseElement: (raw: string) => JsonValue,
  ) {}

  parseArray(): JsonValue[] {
    this.expect('{');
    const items: JsonValue[] = [];
    if (this.text[this.position] === '}') {
      this.position++;
      return items;
    }
    for (;;) {
      items.push(this.parseItem());
      const separator = this.text[this.position++];
      if (separator === '}') return items;
      if (separator !== ',') throw this.malformed(`expected ',' or '}'`);
    }
  }

  private parseItem(): JsonValue {
    const first = this.text[this.position];
    if (first === '{') return this.parseArray();
    if (first === '"') return this.parseElement(this.parseQuoted());
    const start = this.position;
    while (this.position < this.text.length && this.text[this.position] !== ',' && this.text[this.position] !== '}') this.position++;
    const raw = this.text.slice(start, this.position);
    return raw.toUpperCase() === 'NULL' ? null : this.parseElement(raw);
  }

  private parseQuoted(): string {
    this.position++;
    let value = '';
    let chunkStart = this.position;
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) throw this.malformed('unterminated quoted element');
      if (char === '"') {
        value += this.text.slice(chunkStart, this.position);
        this.position++;
        return value;
      }
      if (char === '\\') {
        value += this.text.slice(chunkStart, this.position);
        this.position++;
        chunkStart = this.position;
      }
      this.position++;
    }
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) throw this.malformed(`expected '${char}'`);
    this.position++;
  }

  private malformed(what: string): Error {
    return new Error(`malformed Postgres array literal at offset ${this.position} (${what}): ${this.text.slice(0, 80)}`);
  }
}
