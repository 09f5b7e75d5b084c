// Holds known numbers of objects for the core census: 12345 Leak and 777 Other, and one
// Holder whose `target` is a Target with known properties. SIGUSR2 adds 5000 Leak objects
// (to `holder.leaks`), then writes the file named by CENSUS_MARKER. Prints "ready PID".
'use strict';
const fs = require('fs');
const { ready } = require('./lifetime');

class Leak {
  constructor(i) {
    this.i = i;
    this.s = 'leak-' + i;
  }
}
class Other {
  constructor(n) {
    this.n = n;
  }
}
class Child {
  constructor() {
    this.level = 2;
  }
}
class Target {
  constructor() {
    this.name = 'target-one';
    this.answer = 42;
    this.ratio = 0.5;
    this.child = new Child();
    this.flag = true;
  }
}
class Holder {
  constructor() {
    this.leaks = [];
    this.target = new Target();
  }
}

const holder = new Holder();
for (let i = 0; i < 12345; i++) holder.leaks.push(new Leak(i));
const others = [];
for (let i = 0; i < 777; i++) others.push(new Other(i));
globalThis.censusHolder = holder;
globalThis.censusOthers = others;

process.on('SIGUSR2', () => {
  for (let i = 0; i < 5000; i++) holder.leaks.push(new Leak(12345 + i));
  fs.writeFileSync(process.env.CENSUS_MARKER, `${holder.leaks.length}\n`);
});
setInterval(() => {}, 1000);
ready(String(process.pid));
