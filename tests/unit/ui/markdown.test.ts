import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '@/utils/ui/markdown';

describe('the Markdown subset of the bundled privacy page', () => {
  it('parses headings, paragraphs, lists with continuation lines, and tables', () => {
    const blocks = parseMarkdown('# Title\n\nOne\nparagraph.\n\n- a\n  still a\n- b\n\n| k | v |\n|---|---|\n| `id` | **x** |\n');
    expect(blocks.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'list', 'table']);
    expect(blocks[1]).toEqual({ kind: 'paragraph', content: [{ kind: 'text', text: 'One paragraph.' }] });
    expect(blocks[2]).toEqual({ kind: 'list', items: [[{ kind: 'text', text: 'a still a' }], [{ kind: 'text', text: 'b' }]] });
    expect(blocks[3]).toMatchObject({ kind: 'table', head: [[{ text: 'k' }], [{ text: 'v' }]], rows: [[[{ kind: 'code', text: 'id' }], [{ kind: 'strong', text: 'x' }]]] });
  });

  it('keeps markup as text: nothing becomes HTML', () => {
    expect(parseInline('<img src=x onerror=alert(1)> and [site](https://a.example)')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> and ' },
      { kind: 'link', text: 'site', href: 'https://a.example' },
    ]);
  });

  it('reads all of PRIVACY.md: its sections, and no table or list left as raw text', () => {
    const blocks = parseMarkdown(readFileSync('PRIVACY.md', 'utf8'));
    const headings = blocks.filter((block) => block.kind === 'heading').map((block) => block.content.map((part) => part.text).join(''));
    expect(headings).toEqual(expect.arrayContaining(['Privacy policy', 'What is sent, and to where', 'How to clear it', 'Limited use']));
    const paragraphs = blocks.filter((block) => block.kind === 'paragraph').map((block) => block.content.map((part) => part.text).join(''));
    expect(paragraphs.filter((text) => /^\s*[|-]/.test(text))).toEqual([]);
  });
});
