import { useId, useMemo, useState } from 'preact/hooks';
import { parseChatId } from '@/utils/ids/chat-id';
import type { ChatEntry } from '@/utils/protocol/commands';
import { displayNumber } from '@/utils/ids/chat-id';
import { filterChats } from '@/utils/ui/chat-filter';

/** Options rendered at once: enough to scroll, few enough to open instantly with thousands of chats. */
const SHOWN = 50;

interface Props {
  label: string;
  entries: readonly ChatEntry[] | null;
  value: ChatEntry | null;
  onChange(entry: ChatEntry | null): void;
  /** Shown under the field (e.g. why the chat list is missing). */
  note?: string;
}

/**
 * The WAI-ARIA combobox pattern (editable, list autocomplete): type to filter
 * by name or number, arrows to move, Enter to choose, Escape to close. A typed
 * phone number can be chosen even when it is not in the list.
 */
export function ChatCombobox({ label, entries, value, onChange, note }: Props) {
  const id = useId();
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const options = useMemo(() => {
    const { matches, total } = filterChats(entries ?? [], text, SHOWN);
    const typed = /\d/.test(text) ? parseChatId(text) : null;
    // A number nobody has a chat with yet: offer it as it is.
    if (typed?.ok && !matches.some((entry) => entry.id === typed.id)) {
      return { list: [{ id: typed.id, name: displayNumber(typed.id), isGroup: false }, ...matches], total: total + 1 };
    }
    return { list: matches, total };
  }, [entries, text]);

  const optionId = (index: number) => `${id}-option-${index}`;
  const choose = (entry: ChatEntry) => {
    setText(entry.name);
    setOpen(false);
    onChange(entry);
  };

  function onKeyDown(event: KeyboardEvent) {
    const last = options.list.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        return;
      }
      setActive((index) => (event.key === 'ArrowDown' ? (index >= last ? 0 : index + 1) : index <= 0 ? last : index - 1));
    } else if (event.key === 'Enter' && open && options.list[active]) {
      event.preventDefault();
      choose(options.list[active]!);
    } else if (event.key === 'Escape') {
      if (open) event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div class="combobox">
      <label for={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        placeholder="Name or number"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-listbox`}
        aria-activedescendant={open && options.list[active] ? optionId(active) : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        value={text}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setActive(0);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={`${id}-listbox`} role="listbox" aria-label={`${label} suggestions`} hidden={!open || !options.list.length}>
        {open &&
          options.list.map((entry, index) => (
            <li
              key={entry.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              class={index === active ? 'active' : undefined}
              // mousedown, not click: choosing must happen before the input's blur closes the list.
              onMouseDown={(event) => (event.preventDefault(), choose(entry))}
            >
              <span class="option-name">{entry.name}</span>
              <span class="option-detail">{entry.isGroup ? 'group' : displayNumber(entry.id)}</span>
            </li>
          ))}
      </ul>
      {open && options.total > options.list.length && (
        <p class="hint">
          Showing {options.list.length} of {options.total}: type to narrow.
        </p>
      )}
      {note && (
        <p id={`${id}-note`} class="hint">
          {note}
        </p>
      )}
    </div>
  );
}
