// A parsed YAML file that still knows where everything came from, so that a validation
// issue at `virtual_keys[0].budgets` can be reported at the line the user has to edit.
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Scalar } from "yaml";

export type Path = readonly PropertyKey[];

export class YamlSource {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly document: Document.Parsed,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /**
   * Line of the node at `path`; for a path that does not exist (a missing field), the line
   * of the deepest ancestor that does. With `atKey`, the line of the last segment's key,
   * which is where an unknown field is written.
   */
  lineOf(path: Path, options: { atKey?: boolean } = {}): number {
    let node: unknown = this.document.contents;
    let line = node && isNodeWithRange(node) ? this.lineAt(node.range[0]) : 1;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isAlias(node)) node = node.resolve(this.document);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (pair && options.atKey && i === path.length - 1 && isNodeWithRange(pair.key)) {
          return this.lineAt(pair.key.range[0]);
        }
        next = pair?.value;
        // `field:` with no value still has a key to point at.
        if (pair && !isNodeWithRange(next) && isNodeWithRange(pair.key)) line = this.lineAt(pair.key.range[0]);
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (!isNodeWithRange(next)) return line;
      node = next;
      line = this.lineAt(next.range[0]);
    }
    return line;
  }
}

export interface YamlSyntaxProblem {
  readonly line: number;
  readonly message: string;
}

export function parseYamlSource(text: string): { source: YamlSource } | { problems: YamlSyntaxProblem[] } {
  // `uniqueKeys` (the default) makes a repeated field an error instead of last-one-wins.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, keepSourceTokens: false });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        line: error.linePos?.[0].line ?? 1,
        message: `invalid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  return { source: new YamlSource(text, document) };
}

/** Calls `visit` for every scalar value (not map keys) with its path in the document. */
export function forEachValueScalar(document: Document.Parsed, visit: (scalar: Scalar, path: Path) => void): void {
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isScalar(node)) visit(node, path);
    else if (isMap(node)) {
      for (const pair of node.items) walk(pair.value, [...path, keyText(pair.key)]);
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
    // Aliases point at nodes visited where their anchor is defined.
  };
  walk(document.contents, []);
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function isNodeWithRange(value: unknown): value is Node & { range: [number, number, number] } {
  return typeof value === "object" && value !== null && Array.isArray((value as Node).range);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  // The line number is reported separately; the column helps on long flow mappings.
  return line.replace(/ at line \d+, column (\d+):?$/, " (column $1)");
}
