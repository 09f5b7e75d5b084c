// An express service with routes of several methods, status codes and speeds, for diag metrics.
// Prints "ready PORT" once it listens on a random loopback port. Needs NODE_PATH=/usr/share/nodejs
// (Debian's node-express).
'use strict';
const express = require('express');
const { ready } = require('./lifetime');

const app = express();
const api = express.Router();
api.get('/users/:id', (request, response) => response.json({ id: request.params.id }));
api.post('/users', (request, response) => response.status(201).send('created'));
api.delete('/users/:id', (request, response) => response.status(404).send('no such user'));
app.use('/api', api);
app.get('/slow', (request, response) => setTimeout(() => response.send('slow'), 30));
app.get('/fail', (request, response) => response.status(500).send('failed'));

const server = app.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
setInterval(() => {}, 1000);
