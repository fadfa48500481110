import { render } from 'preact';
import { OptionsPage } from '@/components/OptionsPage';
import '@/components/ui.css';

render(<OptionsPage />, document.getElementById('app')!);
