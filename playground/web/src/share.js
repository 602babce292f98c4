// A shared link carries the playground's texts in its fragment: the JSON
// of the texts, compressed with the browser's own deflate, in base64url.
// Browsers never send the fragment to the server, so nothing leaves the
// page. The fragment starts with a version, `1.`, so that a later layout
// can still read links made today.
const VERSION = '1.';

// A link holds at most this much text once decompressed: far more than
// any contract and its events, and far less than a hostile link could
// inflate to.
const MAX_BYTES = 8 * 1024 * 1024;

async function pipe(bytes, transform) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new Error('the link holds more than 8 MiB of text');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function encodeShare(texts) {
  const bytes = new TextEncoder().encode(JSON.stringify(texts));
  return VERSION + toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

// The texts of a fragment, or null when it is not one of ours (a broken
// or truncated link): the page then opens on the first example.
export async function decodeShare(fragment) {
  if (!fragment.startsWith(VERSION)) return null;
  try {
    const bytes = await pipe(fromBase64Url(fragment.slice(VERSION.length)), new DecompressionStream('deflate-raw'));
    const texts = JSON.parse(new TextDecoder().decode(bytes));
    const fields = ['contractName', 'contract', 'eventsName', 'events', 'asOf', 'oldName', 'old'];
    if (typeof texts !== 'object' || texts === null) return null;
    const clean = {};
    for (const field of fields) clean[field] = typeof texts[field] === 'string' ? texts[field] : '';
    return clean;
  } catch {
    return null;
  }
}
