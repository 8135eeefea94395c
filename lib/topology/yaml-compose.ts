/**
 * Parsing with `yaml` under the nesting limit: `yaml` builds its nodes recursively, so 3,000
 * lists inside each other overflowed the stack ("Maximum call stack size exceeded"). Its CST
 * parser keeps the collections it is in on an explicit stack; that stack is watched after each
 * token, and a file that goes past the limit is given up before any node is built. The exact
 * depth of what is built is checked again by yaml-inspect.ts. Pure.
 */
import type { CST, Document, LineCounter } from 'yaml';
import { InternalError } from '../errors.js';
import { LIMITS } from './limits.js';

type YamlModule = typeof import('yaml');

/**
 * Parser stack entries besides the collections: the document, and a scalar or property being
 * read. More than LIMITS.depth + SLACK entries means more than LIMITS.depth collections.
 */
const SLACK = 4;

export type Composed =
  | { readonly doc: Document.Parsed }
  /** The offset where the nesting went past the limit. */
  | { readonly tooDeep: number };

/** What `yaml.parseDocument` does (one document; a second one is an error), watching the depth. */
export function composeDocument(y: YamlModule, text: string, lines: LineCounter): Composed {
  const parser = new y.Parser(lines.addNewLine);
  // logLevel 'error': `yaml` would otherwise print warnings (collection keys) to the process.
  // merge: YAML merge keys (`<<: *base`), as Compose files use them.
  const composer = new y.Composer({ uniqueKeys: false, prettyErrors: false, logLevel: 'error', merge: true });
  const max = LIMITS.depth + SLACK;
  let tooDeep: number | undefined;
  function* tokens(): Generator<CST.Token> {
    lines.addNewLine(0);
    for (const lexeme of new y.Lexer().lex(text)) {
      yield* parser.next(lexeme);
      if (parser.stack.length > max) {
        tooDeep = parser.offset;
        return;
      }
    }
    yield* parser.end();
  }
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (tooDeep !== undefined) break;
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new y.YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  if (tooDeep !== undefined) return { tooDeep };
  // compose(…, forceDoc) always yields a document, an empty one for an empty text.
  if (!doc) throw new InternalError('yaml composed no document');
  return { doc };
}
