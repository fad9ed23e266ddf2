// The original design's stack for the same operation: Node.js `http` + `crypto`, one worker per
// core (cluster), parsing {"algorithm","data"} and answering the SHA-256 digest.
// node bench/node-hash-server.js 3902
const cluster = require('node:cluster');
const http = require('node:http');
const crypto = require('node:crypto');
const os = require('node:os');
const port = Number(process.argv[2] || 3902);
if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
} else {
  http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const r = JSON.parse(Buffer.concat(chunks));
        const digest = crypto.createHash('sha256').update(r.data).digest('hex');
        const body = JSON.stringify({ algorithm: r.algorithm, digest, encoding: 'hex' });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'VALIDATION_ERROR', message: String(e) } }));
      }
    });
  }).listen(port, '127.0.0.1');
}
