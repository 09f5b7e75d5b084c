// A target for diag watch. WATCH_MODE=block: blockTheLoop() busy-waits 300 ms every 500 ms, so
// the event-loop lag p99 is about 300 ms. WATCH_MODE=grow: the heap grows by about 2 MB every
// 100 ms (kept in an array). Prints "ready" once started.
'use strict';
const { ready } = require('./lifetime');

function blockTheLoop() {
  const end = Date.now() + 300;
  let spins = 0;
  while (Date.now() < end) spins += 1;
  return spins;
}

const kept = [];
function growTheHeap() {
  for (let i = 0; i < 2000; i += 1) kept.push({ index: i, text: 'x'.repeat(900) + i });
}

if (process.env.WATCH_MODE === 'grow') setInterval(growTheHeap, 100);
else setInterval(blockTheLoop, 500);
ready();
