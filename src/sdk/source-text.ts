// Text from an API definition (names, paths, descriptions) placed into generated source: inside a block or line
// comment it must not end the comment or the line, whatever the API's owner wrote.
export function commentText(s: string): string {
  return s.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ');
}
