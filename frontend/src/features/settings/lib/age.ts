/** `45 s`, `3 min`, `2 h`, `4 d`: a span of seconds, rounded to its largest unit. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  if (seconds < 60) {
    return `${Math.floor(seconds)} s`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min`;
  }
  if (seconds < 86_400) {
    return `${Math.floor(seconds / 3600)} h`;
  }
  return `${Math.floor(seconds / 86_400)} d`;
}

/** `2 s ago`, `3 min ago`. */
export function formatAgo(seconds: number | null | undefined): string {
  const age = formatAge(seconds);
  return age === '—' ? age : `${age} ago`;
}
