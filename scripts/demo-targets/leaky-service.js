// Demo target: a small HTTP service with a slow memory leak. Every request stores a
// SessionRecord in a Map held by a closure and never removes it; request buffers are
// churn that is released. Prints "ready PORT"; exits by itself after DEMO_LIFETIME s.
'use strict';
const http = require('http');

class SessionRecord {
  constructor(id, path) {
    this.id = id;
    this.path = path;
    this.createdAt = Date.now();
    this.tags = ['demo', `request-${id}`];
  }
}

function renderPage(id) {
  let html = '';
  for (let i = 0; i < 200; i++) html += `<li>${id}-${i}</li>`;
  return html;
}

const handleRequest = (() => {
  const sessions = new Map();
  let served = 0;
  return (request, response) => {
    served += 1;
    sessions.set(served, new SessionRecord(served, request.url));
    const churn = new Array(100).fill(0).map((_, i) => ({ i, at: request.url }));
    response.end(`${renderPage(served).length} ${churn.length} ${sessions.size}\n`);
  };
})();

const server = http.createServer(handleRequest);
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
setTimeout(() => process.exit(0), Number(process.env.DEMO_LIFETIME || 600) * 1000).unref();
