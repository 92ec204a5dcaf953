// The lab page tells the banner a switch changed, so that the banner follows at once instead of at
// its next poll. A DOM event: the two live in different parts of the console's tree.
const EVENT = 'enginy:failure-lab-changed';

export function announceLabChange(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onLabChange(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
