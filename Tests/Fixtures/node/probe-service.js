// An HTTP service for ProbeTests. GET /quote?id=ID waits a few jittered milliseconds, then
// calls pricing.quote after an await and pricing.settle inside a timer, and the destructured
// discount. GET /fanout?n=N requests /quote?id=r1..rN of itself concurrently and answers
// when all have answered. GET /spin?n=N calls quote and discount N times in one tick.
// Prints "ready PORT".
'use strict';
const http = require('http');
const pricing = require('./probe-pricing');
const { discount } = pricing;
const { ready } = require('./lifetime');
globalThis.originalExports = { ...pricing };

const pause = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function get(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/quote') {
    const id = url.searchParams.get('id');
    await pause(1 + (id.length * 7) % 13);
    let body;
    try { body = JSON.stringify(pricing.quote(id, 2)); } catch (error) { body = `${error.constructor.name}: ${error.message}`; }
    discount(id);
    setTimeout(async () => {
      body += ' ' + await pricing.settle(id, 20);
      response.end(body);
    }, (id.charCodeAt(id.length - 1) * 3) % 11);
  } else if (url.pathname === '/fanout') {
    const count = Number(url.searchParams.get('n'));
    const ids = Array.from({ length: count }, (_, index) => `r${index + 1}`).concat(['bad']);
    const bodies = await Promise.all(ids.map((id) => get(server.address().port, `/quote?id=${id}`)));
    response.end(bodies.join('\n'));
  } else if (url.pathname === '/spin') {
    const count = Number(url.searchParams.get('n'));
    for (let index = 0; index < count; index++) { pricing.quote('s', index); discount('s'); }
    response.end('spun\n');
  } else if (url.pathname === '/basket') {
    response.end(new pricing.Basket('ann').describe());
  } else {
    response.end('ok\n');
  }
});
server.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
