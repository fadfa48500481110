// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, expect, it, vi } from 'vitest';
import { ChatCombobox } from '@/components/ChatCombobox';
import type { ChatEntry } from '@/utils/protocol/commands';

afterEach(cleanup);

const entries: ChatEntry[] = [
  { id: '15551110001@c.us', name: 'Alice', isGroup: false },
  { id: '15551110002@c.us', name: 'Bob', isGroup: false },
  { id: '120363000000000001@g.us', name: 'Sales team', isGroup: true },
];

function Harness({ list = entries, onChange = () => {} }: { list?: ChatEntry[]; onChange?: (entry: ChatEntry | null) => void }) {
  const [value, setValue] = useState<ChatEntry | null>(null);
  return (
    <>
      <ChatCombobox label="Chat" entries={list} value={value} onChange={(entry) => (setValue(entry), onChange(entry))} />
      <output>{value ? `chosen ${value.id}` : 'none'}</output>
    </>
  );
}

const input = () => screen.getByRole('combobox', { name: 'Chat' });
const type = (text: string) => fireEvent.input(input(), { target: { value: text } });
const key = (name: string) => fireEvent.keyDown(input(), { key: name });
const optionNames = () => screen.queryAllByRole('option').map((o) => o.textContent);

it('filters as you type and follows the ARIA combobox pattern', () => {
  render(<Harness />);
  expect(input().getAttribute('aria-expanded')).toBe('false');
  type('al');
  expect(input().getAttribute('aria-expanded')).toBe('true');
  const listbox = screen.getByRole('listbox');
  expect(input().getAttribute('aria-controls')).toBe(listbox.id);
  expect(optionNames()).toEqual(['Alice+15551110001', 'Sales teamgroup']);
  // The first option is active and announced through aria-activedescendant.
  expect(input().getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]!.id);
});

it('moves with the arrow keys (wrapping), chooses with Enter and closes with Escape', () => {
  const onChange = vi.fn();
  render(<Harness onChange={onChange} />);
  key('ArrowDown'); // opens on the first option
  key('ArrowDown');
  key('ArrowDown');
  key('ArrowDown'); // wraps to the first
  key('ArrowUp'); // wraps to the last
  const options = screen.getAllByRole('option');
  expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'false', 'true']);
  key('Enter');
  expect(onChange).toHaveBeenLastCalledWith(entries[2]);
  expect((input() as HTMLInputElement).value).toBe('Sales team');
  expect(screen.getByText('chosen 120363000000000001@g.us')).toBeTruthy();
  expect(input().getAttribute('aria-expanded')).toBe('false');

  type('Bo');
  expect(onChange).toHaveBeenLastCalledWith(null); // editing the text drops the choice
  key('Escape');
  expect(input().getAttribute('aria-expanded')).toBe('false');
  expect(screen.queryAllByRole('option')).toHaveLength(0);
});

it('chooses with the mouse', () => {
  render(<Harness />);
  type('bob');
  fireEvent.mouseDown(screen.getByRole('option', { name: /Bob/ }));
  expect(screen.getByText('chosen 15551110002@c.us')).toBeTruthy();
});

it('offers a typed phone number that has no chat yet', () => {
  render(<Harness />);
  type('+44 20 7946 0958');
  expect(optionNames()).toEqual(['+442079460958+442079460958']);
  key('Enter');
  expect(screen.getByText('chosen 442079460958@c.us')).toBeTruthy();
});

it('renders only the first 50 of 500 matches and says so', () => {
  const many = Array.from({ length: 500 }, (_, i) => ({ id: `1555200${String(i + 1).padStart(4, '0')}@c.us`, name: `Contact ${i + 1}`, isGroup: false }));
  render(<Harness list={many} />);
  type('contact');
  expect(screen.getAllByRole('option')).toHaveLength(50);
  expect(screen.getByText('Showing 50 of 500: type to narrow.')).toBeTruthy();
  type('contact 499');
  expect(optionNames()).toEqual(['Contact 499+15552000499']);
});
