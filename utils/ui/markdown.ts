/**
 * The small part of Markdown that PRIVACY.md is written in, parsed into
 * blocks the privacy page renders as Preact elements (never as HTML strings,
 * so nothing in the text can become markup). Headings `#`–`###`, paragraphs,
 * `-` lists (a line indented by two spaces continues an item), `|` tables,
 * `>` quotes (shown as paragraphs); inline `code`, **bold** and [links](url).
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'link'; text: string; href: string };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; head: Inline[][]; rows: Inline[][][] };

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push({ kind: 'text', text: text.slice(last, match.index) });
    const [, code, strong, linkText, href] = match;
    if (code !== undefined) out.push({ kind: 'code', text: code });
    else if (strong !== undefined) out.push({ kind: 'strong', text: strong });
    else out.push({ kind: 'link', text: linkText!, href: href! });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

const cells = (row: string) => row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => parseInline(cell.trim()));
const isTableRule = (row: string) => /^\|[\s|:-]+\|$/.test(row.trim());

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  let table: string[] | null = null;

  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join(' ')) });
    if (list) blocks.push({ kind: 'list', items: list.map(parseInline) });
    if (table) {
      const [head = '', ...rest] = table.filter((row) => !isTableRule(row));
      blocks.push({ kind: 'table', head: cells(head), rows: rest.map(cells) });
    }
    paragraph = [];
    list = null;
    table = null;
  };

  for (const line of source.split(/\r?\n/)) {
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (!line.trim()) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3, content: parseInline(heading[2]!) });
    } else if (line.startsWith('|')) {
      if (!table) flush();
      (table ??= []).push(line);
    } else if (/^[-*]\s+/.test(line)) {
      if (!list) flush();
      (list ??= []).push(line.replace(/^[-*]\s+/, ''));
    } else if (list && /^\s{2,}\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      if (list || table) flush();
      paragraph.push(line.replace(/^>\s?/, '').trim());
    }
  }
  flush();
  return blocks;
}
