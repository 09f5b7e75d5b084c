// An HTTP service holding a known set of objects: RETAINED_COUNT (default 1234) instances of
// RetainedWidget stay alive for the whole run, each with a DiagnosticTag. ALLOC_MB=N also
// keeps about N MB of small FillerRecord objects (for benchmarks). With GAP_PROBE=1 a 5 ms
// timer records the longest event-loop stall, which GET /gap returns (in ms) and resets.
// Prints "ready PORT".
'use strict';
const http = require('http');
const { ready } = require('./lifetime');

class RetainedWidget {
  constructor(id) {
    this.id = id;
    this.label = `widget-${id}`;
    this.tag = new DiagnosticTag(id % 7);
  }
}

class DiagnosticTag {
  constructor(kind) {
    this.kind = kind;
  }
}

class FillerRecord {
  constructor(id) {
    this.id = id;
    this.name = 'item-' + id + '-' + 'x'.repeat(40);
    this.tags = [id, id + 1, id + 2];
  }
}

const widgets = [];
for (let i = 0; i < Number(process.env.RETAINED_COUNT || 1234); i++) widgets.push(new RetainedWidget(i));

const filler = [];
const fillerBytes = Number(process.env.ALLOC_MB || 0) * 1048576;
while (process.memoryUsage().heapUsed < fillerBytes) {
  for (let i = 0; i < 10000; i++) filler.push(new FillerRecord(filler.length));
}

let longestGap = 0;
if (process.env.GAP_PROBE === '1') {
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
}

const server = http.createServer((request, response) => {
  if (request.url === '/gap') {
    response.end(`${longestGap.toFixed(1)}\n`);
    longestGap = 0;
    return;
  }
  response.end(`ok ${widgets.length} ${filler.length}\n`);
});
server.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
setInterval(() => {}, 1000);
