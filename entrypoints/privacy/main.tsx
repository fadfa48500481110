import { render } from 'preact';
import { MarkdownView } from '@/components/MarkdownView';
import { parseMarkdown } from '@/utils/ui/markdown';
import '@/components/ui.css';
// The repository's PRIVACY.md, bundled at build time: the policy the options page
// links to is the one this build was made with, readable offline.
import policy from '../../PRIVACY.md?raw';

render(<MarkdownView blocks={parseMarkdown(policy)} />, document.getElementById('app')!);
