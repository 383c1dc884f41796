// velocityjs side of the side-by-side benchmark (see run.sh): renders
// request.vm over body.json with a minimal $input/$util, after warm-up,
// and prints {"nsPerOp": N, "cpuNsPerOp": N, "out": "..."}.
'use strict';
const fs = require('fs');
const path = require('path');
const Velocity = require('velocityjs');

const dir = __dirname;
const template = fs.readFileSync(path.join(dir, 'request.vm'), 'utf8');
const body = fs.readFileSync(path.join(dir, 'body.json'), 'utf8');
const context = JSON.parse(fs.readFileSync(path.join(dir, 'context.json'), 'utf8'));
const iterations = Number(process.argv[2] || 20000);

// jsonPath resolves the $.a.b[0] paths the template uses.
function jsonPath(doc, p) {
  let v = doc;
  const re = /\.([A-Za-z_][\w-]*)|\[(\d+)\]/g;
  let m;
  const rest = p.slice(1);
  while ((m = re.exec(rest)) !== null) {
    if (v == null) return null;
    v = m[1] !== undefined ? v[m[1]] : v[Number(m[2])];
  }
  return v === undefined ? null : v;
}

function escapeJavaScript(s) {
  return String(s).replace(/[\\'"\/]/g, (c) => '\\' + c)
    .replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    .replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
}

function newInput(raw) {
  let doc;
  const parsed = () => (doc === undefined ? (doc = JSON.parse(raw)) : doc);
  return {
    body: raw,
    path: (p) => jsonPath(parsed(), p),
    json: (p) => JSON.stringify(jsonPath(parsed(), p)),
    params: (name) => (name === 'User-Agent' ? 'curl/8.5' : ''),
  };
}

const util = { escapeJavaScript };
const compiled = new Velocity.Compile(Velocity.parse(template));
const renderOnce = () => compiled.render({ input: newInput(body), util, context });

let out = '';
for (let i = 0; i < iterations; i++) out = renderOnce();
// The process's CPU time is measured beside the wall time: on a shared
// machine it counts only this work (and the garbage collector's).
const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) out = renderOnce();
const ns = Number(process.hrtime.bigint() - start) / iterations;
const cpu = process.cpuUsage(cpuStart);
const cpuNs = ((cpu.user + cpu.system) * 1000) / iterations;
process.stdout.write(JSON.stringify({ nsPerOp: Math.round(ns), cpuNsPerOp: Math.round(cpuNs), out }) + '\n');
