// Sharp (in-process, libvips), two jobs at a time, on the three tasks; and one request of
// each task to FlowForge for the outputs compared by SSIM (FlowForge's rate is measured by wrk,
// a lighter client than Node, in bench/image-http.sh). Writes rates.json and the outputs.
//   node bench/image-compare.mjs WORKDIR PORT SHARP_MODULE_PATH
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";

const [work, port, sharpPath] = process.argv.slice(2);
const sharp = createRequire(import.meta.url)(sharpPath);
const photo = readFileSync(`${work}/photo.jpg`);
const alpha = readFileSync(`${work}/alpha.png`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const N = Number(process.env.N || 40);

function post(path, body, ctype) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent,
      headers: { "content-type": ctype, "content-length": body.length } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => res.statusCode === 200 ? resolve(Buffer.concat(chunks))
        : reject(new Error(`${path}: ${res.statusCode} ${Buffer.concat(chunks)}`)));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function rate(job) {
  await job(); // warm
  let next = 0, last;
  const t0 = process.hrtime.bigint();
  const worker = async () => { while (next++ < N) last = await job(); };
  await Promise.all([worker(), worker()]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSec: N / s, out: last };
}

const pipeline = JSON.stringify([
  { op: "resize", width: 1600 }, { op: "rotate", angle: 90 }, { op: "flip" }, { op: "flop" },
  { op: "crop", left: 100, top: 100, width: 800, height: 800 }, { op: "adjust", blur: 1.5 },
  { op: "adjust", sharpen: 1 }, { op: "adjust", brightness: 1.1 }, { op: "adjust", negate: true },
  { op: "adjust", grayscale: true },
]);

const tasks = {
  "a: 4000×3000 JPEG → 800 px wide JPEG q80": {
    sharp: () => sharp(photo).resize(800).jpeg({ quality: 80 }).toBuffer(),
    ff: () => post("/api/v1/image/resize?width=800&format=jpeg&quality=80", photo, "image/jpeg"),
    file: "resize",
  },
  "b: 1600×1200 PNG with alpha → WebP q80": {
    sharp: () => sharp(alpha).webp({ quality: 80 }).toBuffer(),
    ff: () => post("/api/v1/image/convert?format=webp&quality=80", alpha, "image/png"),
    file: "webp",
  },
  "c: 10-step pipeline on the 4000×3000 JPEG → JPEG q80": {
    sharp: () => sharp(photo).resize(1600).rotate(90).flip().flop()
      .extract({ left: 100, top: 100, width: 800, height: 800 }).blur(1.5).sharpen()
      .modulate({ brightness: 1.1 }).negate().grayscale().jpeg({ quality: 80 }).toBuffer(),
    ff: () => post(`/api/v1/image/pipeline?format=jpeg&quality=80&operations=${encodeURIComponent(pipeline)}`, photo, "image/jpeg"),
    file: "pipeline",
  },
};

const rows = [];
for (const [name, t] of Object.entries(tasks)) {
  const s = await rate(t.sharp);
  const f = { perSec: 0, out: await t.ff() };
  writeFileSync(`${work}/sharp-${t.file}.out`, s.out);
  writeFileSync(`${work}/ff-${t.file}.out`, f.out);
  rows.push({ name, sharp: s.perSec, ff: f.perSec, sharpBytes: s.out.length, ffBytes: f.out.length, file: t.file });
}
writeFileSync(`${work}/rates.json`, JSON.stringify(rows));
for (const r of rows) {
  console.log(`${r.name}: Sharp ${r.sharp.toFixed(1)}/s; output sizes FlowForge ${r.ffBytes}, Sharp ${r.sharpBytes} bytes`);
}
// The paths and bodies wrk replays.
writeFileSync(`${work}/wrk-tasks.txt`, [
  `resize /api/v1/image/resize?width=800&format=jpeg&quality=80 photo.jpg image/jpeg`,
  `webp /api/v1/image/convert?format=webp&quality=80 alpha.png image/png`,
  `pipeline /api/v1/image/pipeline?format=jpeg&quality=80&operations=${encodeURIComponent(pipeline)} photo.jpg image/jpeg`,
].join("\n") + "\n");
agent.destroy();
