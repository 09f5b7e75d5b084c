// Usage: node leaks.js SCENARIO DIR
// Four small leaks a person would write. Each SIGUSR2 runs one growth step (STEP objects,
// default 500), then writes DIR/grown-N (N counts the steps), so that a test can snapshot
// between steps with `diag heap`. Prints "ready" when started.
//   registry  a Map inside a closure keeps every request record (`registry`, Map-in-closure)
//   bus       one listener per ClientSession on a shared EventEmitter's 'config-changed'
//   cache     a module-level cache array in a required module (leaks/cache.js)
//   interval  a setInterval closure pushing to an array it holds
'use strict';
const fs = require('fs');
const path = require('path');
const EventEmitter = require('events');
const { ready } = require('./lifetime');

const [scenario, dir] = process.argv.slice(2);
const step = Number(process.env.STEP || 500);

class RequestRecord {
  constructor(i) { this.id = i; this.url = `/item/${i}`; this.status = 200; }
}

function makeTracker() {
  const registry = new Map();
  return function trackRequest(i) {
    registry.set(`req-${i}`, new RequestRecord(i));
  };
}

class ClientSession {
  constructor(id, bus) {
    this.id = id;
    this.settings = { theme: 'dark', id };
    bus.on('config-changed', (config) => { this.settings = config; });
  }
}

class Sample {
  constructor(t) { this.t = t; this.values = [t, t + 1, t + 2]; }
}

const scenarios = {
  registry() {
    globalThis.trackRequest = makeTracker();
    let next = 0;
    return () => { for (let i = 0; i < step; i++) globalThis.trackRequest(next++); };
  },
  bus() {
    const bus = new EventEmitter();
    bus.setMaxListeners(0);
    globalThis.bus = bus;
    let next = 0;
    return () => { for (let i = 0; i < step; i++) new ClientSession(next++, bus); };
  },
  cache() {
    const cache = require('./leaks/cache');
    let next = 0;
    return () => { for (let i = 0; i < step; i++) cache.remember(next++); };
  },
  interval() {
    let pending = 0;
    const samples = [];
    setInterval(function collectSamples() {
      while (pending > 0) { samples.push(new Sample(pending)); pending--; }
    }, 10);
    return () => { pending += step; };
  },
};

const grow = scenarios[scenario]();
let steps = 0;
process.on('SIGUSR2', () => {
  grow();
  // The interval scenario grows on its own timer: wait for it before saying so.
  setTimeout(() => fs.writeFileSync(path.join(dir, `grown-${++steps}`), ''), 50);
});
setInterval(() => {}, 1000);
ready(scenario);
