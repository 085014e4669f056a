/**
 * The benchmark's baseline: the least a durable HTTP object server can do.
 * PUT streams the body to a temp file, fsyncs it and renames it into place;
 * GET streams the file back; DELETE unlinks it. No auth (headers ignored), no
 * metadata. Run as a child: `node baseline-server.js <dir> <port>`; it prints
 * "listening" once ready.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const [dir, portArg] = process.argv.slice(2);
if (!dir || !portArg) {
  process.stderr.write('usage: baseline-server <dir> <port>\n');
  process.exit(2);
}
fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });

function fileOf(urlPath: string): string {
  return path.join(dir!, createHash('sha1').update(urlPath).digest('hex'));
}

async function put(req: http.IncomingMessage, res: http.ServerResponse, file: string): Promise<void> {
  const tmp = path.join(dir!, 'tmp', randomBytes(8).toString('hex'));
  const fh = await fsp.open(tmp, 'w');
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) await fh.write(chunk);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  res.writeHead(200, { 'content-length': '0' }).end();
}

async function get(res: http.ServerResponse, file: string): Promise<void> {
  const st = await fsp.stat(file);
  res.writeHead(200, { 'content-length': String(st.size), 'content-type': 'application/octet-stream' });
  await pipeline(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), res);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const urlPath = (req.url ?? '/').split('?')[0]!;
  const isBucket = urlPath.indexOf('/', 1) < 0;
  const file = fileOf(urlPath);
  if (req.method === 'PUT' && isBucket) {
    req.resume();
    res.writeHead(200, { 'content-length': '0' }).end();
  } else if (req.method === 'PUT') await put(req, res, file);
  else if (req.method === 'GET') await get(res, file);
  else if (req.method === 'DELETE') {
    await fsp.rm(file, { force: true });
    res.writeHead(204).end();
  } else res.writeHead(405, { 'content-length': '0' }).end();
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e: NodeJS.ErrnoException) => {
    if (res.headersSent) res.destroy();
    else res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
