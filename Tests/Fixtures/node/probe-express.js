// An Express service for ProbeTests (Debian's node-express, NODE_PATH=/usr/share/nodejs).
// GET /quote/:id awaits a jittered pause, then calls pricing.quote; GET /fanout?n=N requests
// /quote/r1..rN of itself concurrently. Prints "ready PORT".
'use strict';
const http = require('http');
const express = require('express');
const pricing = require('./probe-pricing');
const { ready } = require('./lifetime');
globalThis.originalExports = { ...pricing };

const app = express();
app.get('/quote/:id', async (request, response) => {
  const id = request.params.id;
  await new Promise((resolve) => setTimeout(resolve, 1 + (id.charCodeAt(id.length - 1) * 7) % 13));
  response.json(pricing.quote(id, 1));
});
app.get('/fanout', async (request, response) => {
  const ids = Array.from({ length: Number(request.query.n) }, (_, index) => `r${index + 1}`);
  const port = server.address().port;
  await Promise.all(ids.map((id) => new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: `/quote/${id}`, agent: false }, (r) => { r.resume(); r.on('end', resolve); }))));
  response.end('done\n');
});
const server = app.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
