// Dates as the console shows them: one formatter for the page (Date.toLocaleString builds a new one per call, which
// costs milliseconds each in a list of hundreds).
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDate(d: Date | undefined): string {
  return d ? dateTime.format(d) : '';
}
