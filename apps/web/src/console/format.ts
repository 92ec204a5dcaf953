// How the console writes times and lists.

const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'never';
  return TIME.format(new Date(value));
}

/** "12 s ago", "3 min ago"…: what an admin watching a connection wants to see change. */
export function ago(value: string | null | undefined, now = Date.now()): string {
  if (value === null || value === undefined) return 'never';
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
