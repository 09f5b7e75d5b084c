// Usage: node --max-old-space-size=16384 big-heap.js DIR SIZE_MB
// Builds a heap whose snapshot is roughly SIZE_MB, writes DIR/big-SIZE-a.heapsnapshot, grows
// it by about 5% and writes DIR/big-SIZE-b.heapsnapshot (same process: ids comparable).
'use strict';
const v8 = require('v8');
const path = require('path');
const [dir, sizeArg] = process.argv.slice(2);
const sizeMB = Number(sizeArg);

class Order { constructor(i, customer) { this.id = i; this.customer = customer; this.lines = []; this.note = 'order-' + i; } }
class Customer { constructor(i) { this.id = i; this.name = 'customer-' + i; this.tags = new Set(); } }
class Line { constructor(i) { this.sku = 'sku-' + (i % 5000); this.qty = i % 7; this.price = { amount: i % 100, currency: 'EUR' }; } }

const customers = new Map();
const orders = [];
let next = 0;
function grow(count) {
  for (let k = 0; k < count; k++) {
    const i = next++;
    let c = customers.get(i % 50000);
    if (!c) { c = new Customer(i % 50000); customers.set(i % 50000, c); }
    const o = new Order(i, c);
    for (let j = 0; j < 2; j++) o.lines.push(new Line(i + j));
    c.tags.add(i % 13);
    orders.push(o);
  }
}
// About 11 nodes per order and ~76 bytes of snapshot per node (measured with Node 20).
const perMB = 1e6 / (11 * 76);
grow(Math.round(sizeMB * perMB));
v8.writeHeapSnapshot(path.join(dir, `big-${sizeMB}-a.heapsnapshot`));
grow(Math.round(sizeMB * perMB * 0.05));
v8.writeHeapSnapshot(path.join(dir, `big-${sizeMB}-b.heapsnapshot`));
