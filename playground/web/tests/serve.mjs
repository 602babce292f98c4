// A static file server for the built playground, on 127.0.0.1 only: what
// the browser test and `playground/run.sh --serve` use. It serves files
// under one folder and nothing else (no path outside it, no symlink out
// of it, no listing), with the WebAssembly media type browsers require.
import { createServer } from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

export function serve(folder, port = 0) {
  const base = resolve(folder);
  const server = createServer(async (request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
      const file = await realpath(join(base, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(base + sep) || request.method !== 'GET') throw new Error('refused');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).pop())) {
  const [folder = 'dist', port = '8000'] = process.argv.slice(2);
  const server = await serve(folder, Number(port));
  console.log(`serving ${resolve(folder)} on http://127.0.0.1:${server.address().port}/`);
}
