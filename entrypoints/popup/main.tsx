import { render } from 'preact';
import { Popup } from '@/components/Popup';
import '@/components/ui.css';

render(<Popup />, document.getElementById('app')!);
