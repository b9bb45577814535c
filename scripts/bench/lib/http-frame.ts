// Pure HTTP/1.1 response framing for the lean client: where a response in a buffer ends, and its status.

const HEADER_END = '\r\n\r\n';

/**
 * The first complete response in `text` (latin1): `{ status, length }` where length is how many
 * characters it takes, or null while it is incomplete. Only Content-Length framing is understood
 * (the benchmark application always sends it).
 */
export function firstResponse(text: string): { status: number; length: number } | null {
  const end = text.indexOf(HEADER_END);
  if (end === -1) return null;
  const head = text.slice(0, end);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyLength = match ? Number(match[1]) : 0;
  const length = end + HEADER_END.length + bodyLength;
  return text.length >= length ? { status, length } : null;
}
