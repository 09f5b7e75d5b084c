// Sends a bounded number of requests to the demo service on 127.0.0.1:PORT, a few at a
// time, then exits. Usage: node drive.js PORT COUNT
'use strict';
const http = require('http');
const [port, count] = process.argv.slice(2).map(Number);
let sent = 0;
let done = 0;
function next() {
  if (sent >= count) return;
  sent += 1;
  http.get({ host: '127.0.0.1', port, path: `/item/${sent}`, agent: false }, (response) => {
    response.resume();
    response.on('end', () => { done += 1; if (done === count) process.exit(0); next(); });
  }).on('error', () => process.exit(1));
}
for (let i = 0; i < 4; i++) next();
