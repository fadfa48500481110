import { registerBackground } from '@/utils/background/register';

// Listeners must be registered synchronously at start-up, so that an event that
// woke the stopped service worker reaches them.
export default defineBackground(() => {
  registerBackground();
});
